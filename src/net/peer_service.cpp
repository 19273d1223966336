#include "peer_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "coopchain/net/grpc_status.h"
#include "coopchain/net/message_codec.h"
#include "coopchain/net/outcome_proto.h"
#include "peer_tls.h"

namespace coopchain::net {

grpc::Status PeerService::authenticate(const grpc::ServerContext& context, std::string& id) const {
  auto name = peer_common_name(context);
  if (!name) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no client certificate");
  }
  if (*name == self_id_ ||
      std::find(validators_.begin(), validators_.end(), *name) == validators_.end()) {
    spdlog::warn("refused peer {} ({}): not another validator of the genesis", *name,
                 context.peer());
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "certificate for \"" + *name + "\", which is not another validator");
  }
  id = *name;
  return grpc::Status::OK;
}

grpc::Status PeerService::Exchange(grpc::ServerContext* context,
                                   grpc::ServerReader<v1::PeerFrame>* reader, v1::PeerStreamEnd*) {
  std::string from;
  if (grpc::Status st = authenticate(*context, from); !st.ok()) return st;
  v1::PeerFrame frame;
  uint64_t bad = 0;
  while (reader->Read(&frame)) {
    auto payload = decode_message(frame.message());
    if (!payload.ok()) {
      // Logged once per stream and then counted: a broken peer must not flood the log.
      if (bad++ == 0) {
        spdlog::warn("undecodable message from {}: {}", from, payload.status().message());
      }
      continue;
    }
    handler_.deliver({from, self_id_, std::move(payload).value()});
  }
  if (bad > 1) spdlog::warn("{} undecodable messages from {}", bad, from);
  return grpc::Status::OK;
}

grpc::Status PeerService::Forward(grpc::ServerContext* context, const v1::ForwardRequest* request,
                                  v1::ForwardResponse* response) {
  std::string from;
  if (grpc::Status st = authenticate(*context, from); !st.ok()) return st;
  std::vector<SignedTransaction> txs;
  txs.reserve(request->transactions_size());
  for (const auto& tx : request->transactions()) txs.push_back({tx.payload(), tx.signature()});
  for (auto& outcome : handler_.forwarded_submit(txs)) {
    auto* out = response->add_outcomes();
    if (outcome.ok()) {
      to_proto(*outcome, *out->mutable_response());
    } else {
      out->set_unavailable(outcome.status().message());
    }
  }
  return grpc::Status::OK;
}

}  // namespace coopchain::net
