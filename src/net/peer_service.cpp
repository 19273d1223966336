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

grpc::Status PeerService::Forward(grpc::ServerContext* context, const v1::SubmitRequest* request,
                                  v1::SubmitResponse* response) {
  std::string from;
  if (grpc::Status st = authenticate(*context, from); !st.ok()) return st;
  const SignedTransaction tx{request->transaction().payload(), request->transaction().signature()};
  auto outcome = handler_.forwarded_submit(tx, request->wait(),
                                           std::chrono::milliseconds(request->wait_timeout_ms()));
  if (!outcome.ok()) return to_grpc(outcome.status());
  to_proto(*outcome, *response);
  return grpc::Status::OK;
}

}  // namespace coopchain::net
