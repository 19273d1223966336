// coopchain cert show CERTIFICATE_ID: a certificate, its status changes and, for a group
// certificate, its member farms with their standing and conversion start.
#include <iostream>

#include "client.h"
#include "output.h"
#include "show.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

std::string crops_of(const v1::Certificate& cert) {
  std::string out;
  for (int crop : cert.crops()) {
    out += (out.empty() ? "" : ", ") + v1::Crop_Name(static_cast<v1::Crop>(crop));
  }
  return out;
}

void print_certificate(const v1::Certificate& cert) {
  Fields()
      .add("certificate", cert.certificate_id())
      .add("scheme", v1::Scheme_Name(cert.scheme()))
      .add("issuer", cert.issuer())
      .add("holder", cert.holder())
      .add("crops", crops_of(cert))
      .add("valid", format_time(cert.valid_from()) + " until " + format_time(cert.valid_until()))
      .add("status", v1::CertificateStatus_Name(cert.status()))
      .add_if("conversion started",
              cert.has_conversion_start() ? format_time(cert.conversion_start()) : "")
      .print(std::cout);
  for (const auto& ch : cert.changes()) {
    std::cout << "  " << v1::CertificateStatus_Name(ch.status()) << " from "
              << format_time(ch.effective_at()) << (ch.reason().empty() ? "" : ": " + ch.reason())
              << "\n";
  }
  if (cert.members().empty()) return;
  std::cout << "members:\n";
  for (const auto& m : cert.members()) {
    std::cout << "  " << m.farm_id() << "  " << v1::CertificateMemberStatus_Name(m.status());
    if (m.has_conversion_start()) {
      std::cout << "  conversion started " << format_time(m.conversion_start());
    }
    std::cout << "\n";
    for (const auto& ch : m.changes()) {
      std::cout << "    " << v1::CertificateMemberStatus_Name(ch.status()) << " from "
                << format_time(ch.effective_at()) << " by " << ch.by()
                << (ch.reason().empty() ? "" : ": " + ch.reason()) << "\n";
    }
    for (const auto& e : m.estimates()) {
      std::cout << "    season " << e.season() << " " << v1::Form_Name(e.form()) << ": delivered "
                << format_mass(e.harvested_g()) << ", estimate "
                << (e.proposed_g() > 0 ? format_mass(e.proposed_g()) : "none") << ", approved "
                << (e.approved_g() > 0 ? format_mass(e.approved_g()) : "none (global cap only)")
                << "\n";
    }
  }
}

int run_cert_show(const Args& args) {
  NodeClient client(args.value("node"));
  v1::GetCertificateRequest request;
  request.set_certificate_id(args.operands[0]);
  v1::Certificate response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.trace().GetCertificate(context.get(), request, &response);
  return show(args, client, s, response, print_certificate);
}

}  // namespace

std::vector<VerbSpec> cert_verbs() {
  return {{
      .words = {"cert", "show"},
      .brief = "a certificate, its status and its member farms",
      .operands = {"CERTIFICATE_ID"},
      .summary = "Shows a certificate: scheme, issuer, holder, crops, validity and its status at\n"
                 "the head block's time with every change. For a group certificate (held by a\n"
                 "cooperative), each member farm with its standing now (PROPOSED, APPROVED,\n"
                 "SANCTIONED, EXCLUDED), when its organic conversion started, every change\n"
                 "with who made it (setCertificateMember), and per season its yield estimate,\n"
                 "the approved figure and what it delivered under the certificate.",
      .flags = {node_flag(), output_flag()},
      .run = run_cert_show,
  }};
}

}  // namespace coopchain::cli
