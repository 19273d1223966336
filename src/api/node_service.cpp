#include "coopchain/api/convert.h"
#include "coopchain/state/world.h"
#include "coopchain/version.h"
#include "service_impls.h"

namespace coopchain::api {
namespace {

v1::NodeRole membership(const NodeSetRecord& nodes, const std::string& id) {
  const NodeRecord* node = nodes.find(id);
  return node == nullptr ? v1::NODE_ROLE_UNSPECIFIED : static_cast<v1::NodeRole>(node->role);
}

void fill_peers(const std::vector<PeerView>& peers, const NodeSetRecord& nodes,
                google::protobuf::RepeatedPtrField<v1::PeerStatus>& out) {
  for (const PeerView& p : peers) {
    auto* peer = out.Add();
    peer->set_id(p.id);
    peer->set_membership(membership(nodes, p.id));
    peer->set_address(p.address);
    peer->set_healthy(p.connected);
    peer->set_match_height(p.match_height);
    peer->set_lag(p.lag);
    peer->set_last_error(p.last_error);
    if (p.clock_offset_ms) {
      peer->set_clock_known(true);
      peer->set_clock_offset_ms(*p.clock_offset_ms);
      peer->set_round_trip_ms(p.round_trip_ms.value_or(0));
    }
  }
}

}  // namespace

grpc::Status NodeService::serve_get_status(v1::NodeStatus* response) {
  const NodeStatusView status = reader_.status();
  auto view = reader_.committed();
  const ChainHead head = view->head();
  response->set_node_id(reader_.node_id());
  response->set_chain_id(reader_.genesis().chain_id);
  response->set_genesis_hash(to_hex(reader_.genesis_hash()));
  response->set_role(status.role);
  response->set_term(status.term);
  response->set_leader(status.leader);
  response->set_height(head.height);
  response->set_head_hash(to_hex(head.hash));
  *response->mutable_head_time() = to_timestamp(head.time_ms);
  response->set_mempool_size(static_cast<uint32_t>(status.mempool_size));
  response->set_version(kVersion);
  const NodeSetRecord nodes = WorldView(*view).nodes();
  response->set_validators(nodes.validators_for(head.height + 1).size());
  response->set_membership(membership(nodes, reader_.node_id()));
  response->set_future_skew_ms(WorldView(*view).params().future_skew_ms);
  fill_peers(status.peers, nodes, *response->mutable_peers());
  return grpc::Status::OK;
}

grpc::Status NodeService::serve_list_peers(v1::ListPeersResponse* response) {
  fill_peers(reader_.status().peers, WorldView(*reader_.committed()).nodes(),
             *response->mutable_peers());
  return grpc::Status::OK;
}

grpc::Status NodeService::serve_get_genesis(v1::GenesisInfo* response) {
  auto json = reader_.committed()->genesis_json();
  if (!json.ok()) return to_grpc(json.status());
  response->set_genesis_json(std::move(json).value());
  response->set_genesis_hash(to_hex(reader_.genesis_hash()));
  response->set_chain_id(reader_.genesis().chain_id);
  return grpc::Status::OK;
}

grpc::Status NodeService::StreamedGetStatus(
    grpc::ServerContext*, grpc::ServerUnaryStreamer<v1::GetStatusRequest, v1::NodeStatus>* stream) {
  return serve_query(stream,
                     [this](const auto&, auto* response) { return serve_get_status(response); });
}

grpc::Status NodeService::StreamedListPeers(
    grpc::ServerContext*,
    grpc::ServerUnaryStreamer<v1::ListPeersRequest, v1::ListPeersResponse>* stream) {
  return serve_query(stream,
                     [this](const auto&, auto* response) { return serve_list_peers(response); });
}

grpc::Status NodeService::StreamedGetGenesis(
    grpc::ServerContext*,
    grpc::ServerUnaryStreamer<v1::GetGenesisRequest, v1::GenesisInfo>* stream) {
  return serve_query(stream,
                     [this](const auto&, auto* response) { return serve_get_genesis(response); });
}

}  // namespace coopchain::api
