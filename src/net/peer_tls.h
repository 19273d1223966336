// Mutual TLS for the peer service: server and channel credentials from the network CA and this
// node's certificate, and the validator id a connected peer proved it holds.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

namespace coopchain::net {

std::shared_ptr<grpc::ServerCredentials> peer_server_credentials(const std::string& ca_pem,
                                                                 const std::string& cert_pem,
                                                                 const std::string& key_pem);
std::shared_ptr<grpc::ChannelCredentials> peer_channel_credentials(const std::string& ca_pem,
                                                                   const std::string& cert_pem,
                                                                   const std::string& key_pem);
// The common name of the client certificate the peer presented (gRPC has already checked that
// it chains to the CA); nullopt without one.
std::optional<std::string> peer_common_name(const grpc::ServerContextBase& context);

}  // namespace coopchain::net
