#include "peer_tls.h"

#include <grpcpp/security/auth_context.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <spdlog/spdlog.h>

#include "coopchain/core/hash.h"
#include "coopchain/core/x509.h"

namespace coopchain::net {
namespace {

namespace tls = grpc::experimental;

// Accepts a certificate whose public key has the pin the book records for the node it names
// (the server side: any member) or for `expected` (a link to that node). The book is read at
// each handshake: a rotated pin holds from the next connection on.
class PinVerifier final : public tls::ExternalCertificateVerifier {
 public:
  PinVerifier(std::shared_ptr<const PeerBook> book, std::string expected)
      : book_(std::move(book)), expected_(std::move(expected)) {}

  bool Verify(tls::TlsCustomVerificationCheckRequest* request, std::function<void(grpc::Status)>,
              grpc::Status* sync_status) override {
    *sync_status = check(std::string(request->peer_cert().data(), request->peer_cert().size()),
                         std::string(request->common_name().data(), request->common_name().size()));
    return true;  // decided synchronously
  }
  void Cancel(tls::TlsCustomVerificationCheckRequest*) override {}

 private:
  grpc::Status check(const std::string& certificate, const std::string& name) const {
    const std::string& id = expected_.empty() ? name : expected_;
    const std::string pinned = book_->pin_of(id);
    auto pin = certificate_public_key_pin(certificate);
    if (!pinned.empty() && pin.ok() && *pin == pinned && (expected_.empty() || name == expected_)) {
      return grpc::Status::OK;
    }
    const std::string why = "the TLS certificate presented for \"" + id + "\" (key pin " +
                            (pin.ok() ? to_hex(*pin) : std::string("unreadable")) +
                            ") is not the one the chain pins for it";
    spdlog::warn("refused a peer: {}", why);
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, why);
  }

  const std::shared_ptr<const PeerBook> book_;
  const std::string expected_;
};

std::shared_ptr<tls::CertificateProviderInterface> own_certificate(
    const PeerNetworkOptions& options) {
  return std::make_shared<tls::StaticDataCertificateProvider>(
      std::vector<tls::IdentityKeyCertPair>{{options.key_pem, options.cert_pem}});
}

}  // namespace

std::shared_ptr<grpc::ServerCredentials> peer_server_credentials(
    const PeerNetworkOptions& options, std::shared_ptr<const PeerBook> book) {
  if (options.pinned) {
    tls::TlsServerCredentialsOptions tls_options(own_certificate(options));
    tls_options.watch_identity_key_cert_pairs();
    // No CA to verify against: the pin check below is the verification.
    tls_options.set_cert_request_type(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
    tls_options.set_certificate_verifier(
        tls::ExternalCertificateVerifier::Create<PinVerifier>(std::move(book), std::string()));
    return tls::TlsServerCredentials(tls_options);
  }
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = options.ca_pem;
  ssl.pem_key_cert_pairs.push_back({options.key_pem, options.cert_pem});
  return grpc::SslServerCredentials(ssl);
}

std::shared_ptr<grpc::ChannelCredentials> peer_channel_credentials(
    const PeerNetworkOptions& options, std::shared_ptr<const PeerBook> book,
    const std::string& peer_id) {
  if (options.pinned) {
    tls::TlsChannelCredentialsOptions tls_options;
    tls_options.set_certificate_provider(own_certificate(options));
    tls_options.watch_identity_key_cert_pairs();
    tls_options.set_verify_server_certs(false);
    tls_options.set_check_call_host(false);
    tls_options.set_certificate_verifier(
        tls::ExternalCertificateVerifier::Create<PinVerifier>(std::move(book), peer_id));
    return tls::TlsCredentials(tls_options);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.ca_pem;
  ssl.pem_private_key = options.key_pem;
  ssl.pem_cert_chain = options.cert_pem;
  return grpc::SslCredentials(ssl);
}

std::optional<std::string> peer_common_name(const grpc::ServerContextBase& context) {
  auto auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) return std::nullopt;
  auto names = auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  if (names.size() != 1) return std::nullopt;
  return std::string(names.front().data(), names.front().size());
}

}  // namespace coopchain::net
