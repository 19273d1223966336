// coopchain lot show | trace: a lot's current state, and its provenance back to the harvests
// and plots with the certificate checks made along the way.
#include <iostream>

#include "client.h"
#include "output.h"
#include "plot_output.h"
#include "show.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

std::string join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// "84.5" from 845; integers only.
std::string tenths(uint32_t v) {
  return std::to_string(v / 10) + "." + std::to_string(v % 10);
}

std::string format_quality(const v1::Quality& q) {
  std::string out;
  auto add = [&out](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  if (!q.grade().empty()) add("grade " + q.grade());
  if (q.cup_score_tenths() != 0) add("cup score " + tenths(q.cup_score_tenths()));
  if (q.moisture_per_mille() != 0) add("moisture " + tenths(q.moisture_per_mille()) + " %");
  if (q.defects_primary() != 0 || q.defects_secondary() != 0) {
    add("defects " + std::to_string(q.defects_primary()) + " primary, " +
        std::to_string(q.defects_secondary()) + " secondary per 350 g");
  }
  if (q.screen_size() != 0) add("screen " + std::to_string(q.screen_size()));
  if (q.has_cut_test()) {
    const auto& c = q.cut_test();
    add("cut test " + tenths(c.well_fermented_per_mille()) + " % well fermented, " +
        tenths(c.slaty_per_mille()) + " % slaty, " + tenths(c.mouldy_per_mille()) + " % mouldy, " +
        tenths(c.insect_damaged_per_mille()) + " % insect-damaged");
  }
  return out;
}

void print_lot(const v1::Lot& lot, int indent) {
  Fields f(indent);
  f.add("lot", lot.lot_id())
      .add("crop", v1::Crop_Name(lot.crop()))
      .add("form", v1::Form_Name(lot.form()))
      .add("mass now", format_mass(lot.mass_g()))
      .add("produced", format_mass(lot.produced_g()))
      .add("owner", lot.owner())
      .add("created by", lot.created_by() + " at " + format_time(lot.created_at()));
  if (is_set(lot.last_event_at())) f.add("last event", format_time(lot.last_event_at()));
  f.add_if("facility", lot.facility());
  if (lot.has_quality()) f.add_if("quality", format_quality(lot.quality()));
  std::string origins;
  for (const auto& o : lot.origins()) {
    origins += (origins.empty() ? "" : ", ") + o.farm_id() + "/" + o.plot_id();
  }
  f.add_if("origins", origins);
  std::string inputs;
  for (const auto& in : lot.inputs()) {
    inputs += (inputs.empty() ? "" : ", ") + in.lot_id() + " " + format_mass(in.mass_g());
  }
  f.add_if("inputs", inputs);
  std::string holds;
  for (const auto& h : lot.holds()) {
    holds += (holds.empty() ? "" : "; ") + v1::Scheme_Name(h.scheme()) + " by " + h.held_by() +
             " since " + format_time(h.held_at()) + " (" + h.certificate_id() + ")";
  }
  f.add_if("on hold", holds);
  if (lot.in_transit_g() > 0) {
    f.add("in transit", format_mass(lot.in_transit_g()) + " sent to " + lot.owner() +
                            ", not yet weighed in (receiveLot)");
  }
  f.add("certificates", lot.claims_size() == 0
                            ? "none claimed"
                            : std::to_string(lot.claims_size()) + " scheme(s) claimed:");
  f.print(std::cout);

  const std::string pad(static_cast<size_t>(indent) + 2, ' ');
  for (const auto& c : lot.claims()) {
    std::string scheme = v1::Scheme_Name(c.scheme());
    scheme.resize(std::max<size_t>(scheme.size(), 20), ' ');
    std::cout << pad << scheme << " " << (c.holds() ? "holds" : "does not hold");
    if (c.certificate_ids_size() > 0) std::cout << " (" << join(c.certificate_ids()) << ")";
    if (!c.holds() && !c.reason().empty()) std::cout << ": " << c.reason();
    std::cout << "\n";
  }
  if (lot.history_size() == 0) return;
  std::cout << std::string(static_cast<size_t>(indent), ' ') << "history:\n";
  if (lot.earlier_events() > 0) {
    std::cout << pad << "(" << lot.earlier_events() << " earlier events; `coopchain lot trace "
              << lot.lot_id() << "` shows them all)\n";
  }
  for (const auto& e : lot.history()) {
    std::string kind = e.kind();
    kind.resize(std::max<size_t>(kind.size(), 11), ' ');
    std::string actor = e.actor();
    actor.resize(std::max<size_t>(actor.size(), 8), ' ');
    std::cout << pad << format_time(e.at()) << "  " << kind << " " << actor;
    if (e.mass_delta_g() != 0) std::cout << "  " << format_mass_delta(e.mass_delta_g());
    if (!e.detail().empty()) std::cout << "  " << e.detail();
    std::cout << "\n";
    if (!e.tx_id().empty()) std::cout << pad << "    tx " << e.tx_id() << "\n";
    if (e.has_quality()) std::cout << pad << "    quality: " << format_quality(e.quality()) << "\n";
    if (e.certificates_checked_size() > 0) {
      std::cout << pad << "    certificates checked: " << join(e.certificates_checked()) << "\n";
    }
  }
}

void print_trace(const v1::TraceLotResponse& trace) {
  if (trace.lots_size() == 0) {
    std::cout << "lot " << trace.lot_id() << ": nothing to trace\n";
    return;
  }
  print_lot(trace.lots(0), 0);
  for (int i = 1; i < trace.lots_size(); ++i) {
    std::cout << "\nancestor " << i << " of " << trace.lots_size() - 1 << ":\n";
    print_lot(trace.lots(i), 2);
  }
  if (trace.plots_size() > 0) {
    std::cout << "\norigin plots:\n";
    for (const auto& p : trace.plots()) print_plot(std::cout, p, 2);
  }
  if (trace.truncated()) {
    std::cout << "\n(truncated: the node's limit on lots per trace was reached)\n";
  }
}

int run_lot_show(const Args& args) {
  NodeClient client(args.value("node"));
  v1::GetLotRequest request;
  request.set_lot_id(args.operands[0]);
  v1::Lot response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.trace().GetLot(context.get(), request, &response);
  return show(args, client, s, response, [](const v1::Lot& lot) {
    print_lot(lot, 0);
    if (lot.origin_plots_size() > 0) std::cout << "origin plots:\n";
    for (const auto& p : lot.origin_plots()) print_plot(std::cout, p, 2);
  });
}

// The node's own bound on lots per trace (src/api/trace_service.cpp); it answers at most that.
constexpr uint64_t kMaxTraceLots = 20'000;

int run_lot_trace(const Args& args) {
  NodeClient client(args.value("node"));
  v1::TraceLotRequest request;
  request.set_lot_id(args.operands[0]);
  if (args.has("max-lots")) {
    const auto n = parse_uint(args.value("max-lots"), 1, kMaxTraceLots);
    if (!n) return usage_error(*args.verb, "--max-lots takes a number from 1 to 20000");
    request.set_max_lots(static_cast<uint32_t>(*n));
  }
  v1::TraceLotResponse response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.trace().TraceLot(context.get(), request, &response);
  return show(args, client, s, response, print_trace);
}

}  // namespace

std::vector<VerbSpec> lot_verbs() {
  return {
      {
          .words = {"lot", "show"},
          .brief = "a lot now: mass, form, owner, certificates that hold",
          .operands = {"LOT_ID"},
          .summary = "Shows a lot as it is now: mass remaining, form, owner, the certificate\n"
                     "claims it carries and whether each holds, and its history.",
          .flags = {node_flag(), output_flag()},
          .run = run_lot_show,
      },
      {
          .words = {"lot", "trace"},
          .brief = "a lot's provenance back to harvests and plots",
          .operands = {"LOT_ID"},
          .summary =
              "Shows a lot's full provenance: the lot, then each ancestor lot back to the\n"
              "harvests, the origin farms and plots, and the certificate checks that passed\n"
              "at each step. A node answers at most --max-lots lots (default 2000) and\n"
              "says when the trace was cut short.",
          .flags = {node_flag(),
                    output_flag(),
                    {.name = "max-lots",
                     .value_name = "N",
                     .help = "lots in the trace at most, 1 to 20000 (node default 2000)"}},
          .run = run_lot_trace,
      },
  };
}

}  // namespace coopchain::cli
