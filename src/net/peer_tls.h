// Mutual TLS for the peer service, and the validator id a connected peer proved it holds. Peers
// know each other either by the network CA (every certificate it issued, named by node id) or,
// when the chain records a TLS pin for every node, by those pins: each node presents its
// self-signed certificate and a peer is accepted only when its certificate's public key has the
// pin recorded for the node it names. No CA then exists whose holder could add nodes.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "coopchain/net/peer_network.h"
#include "peer_book.h"

namespace coopchain::net {

// With pins, a peer is accepted when `book` holds the pin of its certificate's key for the node
// it names, as the book stands at the handshake.
std::shared_ptr<grpc::ServerCredentials> peer_server_credentials(
    const PeerNetworkOptions& options, std::shared_ptr<const PeerBook> book);
// For the link to `peer_id`, whose certificate must be that node's.
std::shared_ptr<grpc::ChannelCredentials> peer_channel_credentials(
    const PeerNetworkOptions& options, std::shared_ptr<const PeerBook> book,
    const std::string& peer_id);
// The common name of the client certificate the peer presented (gRPC has already checked it
// against the CA or the pins); nullopt without one.
std::optional<std::string> peer_common_name(const grpc::ServerContextBase& context);

}  // namespace coopchain::net
