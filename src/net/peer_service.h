// The server side of the peer service: authenticates each call by its client certificate and
// hands what arrives to the node.
#pragma once

#include <string>
#include <vector>

#include "coopchain/net/peer_network.h"
#include "coopchain/v1/peer.grpc.pb.h"

namespace coopchain::net {

// Served by gRPC's callback API: no thread is held per stream or per forwarded batch. A stream's
// next message is read once the node took the previous one, so a slow node slows its peers
// down (flow control) rather than queueing without bound; the node's answer to a forwarded
// batch finishes that call.
class PeerService final : public v1::Peer::CallbackService {
 public:
  PeerService(std::string self_id, std::vector<std::string> validators, PeerHandler& handler)
      : self_id_(std::move(self_id)), validators_(std::move(validators)), handler_(handler) {}

  grpc::ServerReadReactor<v1::PeerFrame>* Exchange(grpc::CallbackServerContext* context,
                                                   v1::PeerStreamEnd* end) override;
  grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* context,
                                    const v1::ForwardRequest* request,
                                    v1::ForwardResponse* response) override;
  grpc::ServerUnaryReactor* Clock(grpc::CallbackServerContext* context,
                                  const v1::ClockRequest* request,
                                  v1::ClockReading* response) override;

 private:
  // The validator id the caller's certificate names, or PERMISSION_DENIED.
  grpc::Status authenticate(const grpc::ServerContextBase& context, std::string& id) const;

  const std::string self_id_;
  const std::vector<std::string> validators_;
  PeerHandler& handler_;
};

}  // namespace coopchain::net
