#include "coopchain/api/convert.h"
#include "coopchain/version.h"
#include "service_impls.h"

namespace coopchain::api {
namespace {

void fill_peers(const Node& node, google::protobuf::RepeatedPtrField<v1::PeerStatus>& out) {
  for (const PeerView& p : node.peers()) {
    auto* peer = out.Add();
    peer->set_id(p.id);
    peer->set_address(p.address);
    peer->set_healthy(p.connected);
    peer->set_match_height(p.match_height);
    peer->set_lag(p.lag);
    peer->set_last_error(p.last_error);
  }
}

}  // namespace

grpc::Status NodeService::GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                                    v1::NodeStatus* response) {
  auto result = node_.read([&](const Node& node) {
    const ChainHead& head = *node.store().head();
    response->set_node_id(node.config().node_id);
    response->set_chain_id(node.genesis().chain_id);
    response->set_genesis_hash(to_hex(node.genesis_hash()));
    response->set_role(std::string(node.role()));
    response->set_term(node.term());
    response->set_leader(node.leader());
    response->set_height(head.height);
    response->set_head_hash(to_hex(head.hash));
    *response->mutable_head_time() = to_timestamp(head.time_ms);
    response->set_mempool_size(static_cast<uint32_t>(node.mempool_size()));
    response->set_version(kVersion);
    response->set_validators(node.genesis().validators.size());
    fill_peers(node, *response->mutable_peers());
    return true;
  });
  return result.ok() ? grpc::Status::OK : to_grpc(result.status());
}

grpc::Status NodeService::ListPeers(grpc::ServerContext*, const v1::ListPeersRequest*,
                                    v1::ListPeersResponse* response) {
  auto result = node_.read([&](const Node& node) {
    fill_peers(node, *response->mutable_peers());
    return true;
  });
  return result.ok() ? grpc::Status::OK : to_grpc(result.status());
}

grpc::Status NodeService::GetGenesis(grpc::ServerContext*, const v1::GetGenesisRequest*,
                                     v1::GenesisInfo* response) {
  auto result = node_.read([&](const Node& node) -> Status {
    auto json = node.store().genesis_json();
    if (!json.ok()) return json.status();
    response->set_genesis_json(std::move(json).value());
    response->set_genesis_hash(to_hex(node.genesis_hash()));
    response->set_chain_id(node.genesis().chain_id);
    return Status::Ok();
  });
  return to_grpc(result);
}

}  // namespace coopchain::api
