#include "coopchain/api/convert.h"
#include "coopchain/version.h"
#include "service_impls.h"

namespace coopchain::api {

grpc::Status NodeService::GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                                    v1::NodeStatus* response) {
  auto result = node_.read([&](const Node& node) {
    const ChainHead& head = *node.store().head();
    response->set_node_id(node.config().node_id);
    response->set_chain_id(node.genesis().chain_id);
    response->set_genesis_hash(to_hex(node.genesis_hash()));
    // A single-validator network: this node is always its leader.
    response->set_role("LEADER");
    response->set_term(1);
    response->set_leader(node.config().node_id);
    response->set_height(head.height);
    response->set_head_hash(to_hex(head.hash));
    *response->mutable_head_time() = to_timestamp(head.time_ms);
    response->set_mempool_size(static_cast<uint32_t>(node.mempool_size()));
    response->set_version(kVersion);
    response->set_validators(node.genesis().validators.size());
    return true;
  });
  return result.ok() ? grpc::Status::OK : to_grpc(result.status());
}

grpc::Status NodeService::ListPeers(grpc::ServerContext*, const v1::ListPeersRequest*,
                                    v1::ListPeersResponse*) {
  // A single-validator network has no peers.
  return grpc::Status::OK;
}

}  // namespace coopchain::api
