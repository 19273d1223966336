// The server side of the peer service: authenticates each call by its client certificate and
// hands what arrives to the node.
#pragma once

#include <string>
#include <vector>

#include "coopchain/net/peer_network.h"
#include "coopchain/v1/peer.grpc.pb.h"

namespace coopchain::net {

// Forward is served by gRPC's callback API: a forwarded batch holds no thread while the node
// admits it; the node's answer finishes the call.
class PeerService final : public v1::Peer::WithCallbackMethod_Forward<v1::Peer::Service> {
 public:
  PeerService(std::string self_id, std::vector<std::string> validators, PeerHandler& handler)
      : self_id_(std::move(self_id)), validators_(std::move(validators)), handler_(handler) {}

  grpc::Status Exchange(grpc::ServerContext* context, grpc::ServerReader<v1::PeerFrame>* reader,
                        v1::PeerStreamEnd* end) override;
  grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* context,
                                    const v1::ForwardRequest* request,
                                    v1::ForwardResponse* response) override;

 private:
  // The validator id the caller's certificate names, or PERMISSION_DENIED.
  grpc::Status authenticate(const grpc::ServerContextBase& context, std::string& id) const;

  const std::string self_id_;
  const std::vector<std::string> validators_;
  PeerHandler& handler_;
};

}  // namespace coopchain::net
