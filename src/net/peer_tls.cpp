#include "peer_tls.h"

#include <grpcpp/security/auth_context.h>

namespace coopchain::net {

std::shared_ptr<grpc::ServerCredentials> peer_server_credentials(const std::string& ca_pem,
                                                                 const std::string& cert_pem,
                                                                 const std::string& key_pem) {
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = ca_pem;
  options.pem_key_cert_pairs.push_back({key_pem, cert_pem});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> peer_channel_credentials(const std::string& ca_pem,
                                                                   const std::string& cert_pem,
                                                                   const std::string& key_pem) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ca_pem;
  options.pem_private_key = key_pem;
  options.pem_cert_chain = cert_pem;
  return grpc::SslCredentials(options);
}

std::optional<std::string> peer_common_name(const grpc::ServerContextBase& context) {
  auto auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) return std::nullopt;
  auto names = auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  if (names.size() != 1) return std::nullopt;
  return std::string(names.front().data(), names.front().size());
}

}  // namespace coopchain::net
