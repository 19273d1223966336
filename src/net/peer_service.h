// The server side of the peer service: authenticates each call by its client certificate and
// hands what arrives to the node.
#pragma once

#include <memory>
#include <string>

#include "coopchain/net/peer_network.h"
#include "coopchain/v1/peer.grpc.pb.h"
#include "peer_book.h"

namespace coopchain::net {

// Served by gRPC's callback API: no thread is held per stream or per forwarded batch. A stream's
// next message is read once the node took the previous one, so a slow node slows its peers
// down (flow control) rather than queueing without bound; the node's answer to a forwarded
// batch finishes that call.
class PeerService final : public v1::Peer::CallbackService {
 public:
  PeerService(std::string self_id, std::shared_ptr<const PeerBook> book, PeerHandler& handler)
      : self_id_(std::move(self_id)), book_(std::move(book)), handler_(handler) {}

  grpc::ServerReadReactor<v1::PeerFrame>* Exchange(grpc::CallbackServerContext* context,
                                                   v1::PeerStreamEnd* end) override;
  grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* context,
                                    const v1::ForwardRequest* request,
                                    v1::ForwardResponse* response) override;
  grpc::ServerUnaryReactor* Clock(grpc::CallbackServerContext* context,
                                  const v1::ClockRequest* request,
                                  v1::ClockReading* response) override;

 private:
  // The node id the caller's certificate names, or PERMISSION_DENIED when it is not a member.
  grpc::Status authenticate(const grpc::ServerContextBase& context, std::string& id) const;

  const std::string self_id_;
  const std::shared_ptr<const PeerBook> book_;
  PeerHandler& handler_;
};

}  // namespace coopchain::net
