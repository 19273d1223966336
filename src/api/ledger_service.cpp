#include "service_impls.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <thread>

#include "coopchain/api/convert.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/state/world.h"
#include "coopchain/wire/block_proto.h"
#include "coopchain/wire/event_codec.h"

namespace coopchain::api {
namespace {

Status not_found_height(uint64_t height) {
  return Status::NotFound("no block at height " + std::to_string(height));
}

Result<Hash256> parse_tx_id(const std::string& hex) {
  auto id = hash_from_hex(hex);
  if (!id) return Status::InvalidArgument("a transaction id is 64 hex digits, not \"" + hex + "\"");
  return *id;
}

// One Submit call. It finishes exactly once, with the node's answer or, if the client goes away
// first, on cancellation; gRPC deletes it when done.
class SubmitCall final : public grpc::ServerUnaryReactor {
 public:
  explicit SubmitCall(grpc::ByteBuffer* response)
      : reply_(std::make_shared<SubmitReply>([this, response](Result<TxOutcome> outcome) {
          answer(std::move(outcome), response);
        })) {}
  const std::shared_ptr<SubmitReply>& reply() const { return reply_; }

  void OnCancel() override { reply_->resolve(Status::Unavailable("the call was cancelled")); }
  void OnDone() override { delete this; }

 private:
  void answer(Result<TxOutcome> outcome, grpc::ByteBuffer* response) {
    if (!outcome.ok()) {
      Finish(to_grpc(outcome.status()));
    } else if (outcome->state == TxState::kRejected) {
      Finish(to_grpc(Status::Rejected(outcome->verdict)));
    } else {
      v1::SubmitResponse message;
      to_proto(*outcome, message);
      bool own = false;
      Finish(grpc::SerializationTraits<v1::SubmitResponse>::Serialize(message, response, &own));
    }
  }

  std::shared_ptr<SubmitReply> reply_;
};

}  // namespace

Status fill_block(const ChainView& view, uint64_t height, bool with_transactions,
                  v1::BlockInfo* out) {
  auto block = view.block(height);
  if (!block.ok()) {
    return block.status().code() == StatusCode::kNotFound ? not_found_height(height)
                                                          : block.status();
  }
  // Block 0 has no certificate; any other's is there (the store stops the node otherwise).
  auto qc = view.quorum_certificate(height);
  if (!qc.ok() && height > 0) return qc.status();
  *out = wire::block_to_proto(*block, qc.ok() ? &*qc : nullptr, with_transactions);
  return Status::Ok();
}

grpc::ServerUnaryReactor* LedgerService::Submit(grpc::CallbackServerContext*,
                                                const grpc::ByteBuffer* raw,
                                                grpc::ByteBuffer* response) {
  auto* call = new SubmitCall(response);
  // Read here rather than by gRPC, which answers bytes that are no SubmitRequest with
  // UNIMPLEMENTED: they are bad input, MALFORMED.
  v1::SubmitRequest request;
  grpc::ByteBuffer copy(*raw);
  if (!grpc::SerializationTraits<v1::SubmitRequest>::Deserialize(&copy, &request).ok()) {
    call->reply()->resolve(Status(StatusCode::kInvalidArgument,
                                  "the request is not a coopchain.v1.SubmitRequest",
                                  RuleCode::kMalformed));
    return call;
  }
  const uint32_t timeout_ms =
      request.wait_timeout_ms() != 0 ? request.wait_timeout_ms() : submit_wait_timeout_ms_;
  submitter_.submit(wire::from_proto(request.transaction()), request.wait(),
                    std::chrono::milliseconds(timeout_ms), call->reply());
  return call;
}

grpc::Status LedgerService::serve_get_transaction(const v1::GetTransactionRequest& request,
                                                  v1::TransactionInfo* response) {
  auto id = parse_tx_id(request.tx_id());
  if (!id.ok()) return to_grpc(id.status());
  const TxOutcome outcome = reader_.transaction_outcome(*id);
  if (outcome.state == TxState::kUnknown) {
    return to_grpc(Status::NotFound("no transaction " + request.tx_id() + " on this node"));
  }
  response->set_tx_id(request.tx_id());
  response->set_state(to_proto(outcome.state));
  if (outcome.state == TxState::kRejected) {
    response->set_rule_code(std::string(rule_code_name(outcome.verdict.code)));
    response->set_message(outcome.verdict.message);
    return grpc::Status::OK;
  }
  if (outcome.state == TxState::kDropped) response->set_message(outcome.reason);
  if (outcome.state != TxState::kCommitted) return grpc::Status::OK;
  response->set_height(outcome.height);
  response->set_index(outcome.index);
  // A view at least as new as the one that found the transaction committed.
  auto block = reader_.committed()->block(outcome.height);
  if (!block.ok()) return to_grpc(block.status());
  if (outcome.index >= block->txs.size()) {
    return to_grpc(Status::Corruption("tx index out of range"));
  }
  const SignedTransaction& stx = block->txs[outcome.index];
  *response->mutable_transaction() = wire::to_proto(stx);
  v1::TxPayload payload;
  if (payload.ParseFromString(stx.payload)) {
    *response->mutable_event() = payload.event();
    const std::string kid = key_id(payload.public_key());
    response->set_signer_key_id(kid);
    // A key stays registered to its organization once added (revoking it keeps the record),
    // so the head's state names the signer of any committed transaction.
    if (std::optional<KeyRecord> key = WorldView(*reader_.committed()).signing_key(kid)) {
      response->set_signer_organization(key->org_id);
    }
  }
  return grpc::Status::OK;
}

grpc::Status LedgerService::serve_get_block(const v1::GetBlockRequest& request,
                                            v1::BlockInfo* response) {
  return to_grpc(
      fill_block(*reader_.committed(), request.height(), request.include_transactions(), response));
}

grpc::Status LedgerService::serve_get_head(v1::BlockInfo* response) {
  auto view = reader_.committed();
  return to_grpc(fill_block(*view, view->head().height, false, response));
}

grpc::Status LedgerService::StreamedGetTransaction(
    grpc::ServerContext*,
    grpc::ServerUnaryStreamer<v1::GetTransactionRequest, v1::TransactionInfo>* stream) {
  return serve_query(stream, [this](const auto& request, auto* response) {
    return serve_get_transaction(request, response);
  });
}

grpc::Status LedgerService::StreamedGetBlock(
    grpc::ServerContext*, grpc::ServerUnaryStreamer<v1::GetBlockRequest, v1::BlockInfo>* stream) {
  return serve_query(stream, [this](const auto& request, auto* response) {
    return serve_get_block(request, response);
  });
}

grpc::Status LedgerService::StreamedGetHead(
    grpc::ServerContext*, grpc::ServerUnaryStreamer<v1::GetHeadRequest, v1::BlockInfo>* stream) {
  return serve_query(stream,
                     [this](const auto&, auto* response) { return serve_get_head(response); });
}

grpc::Status not_a_request(std::string_view message_name) {
  return to_grpc(Status(StatusCode::kInvalidArgument,
                        "the request is not a " + std::string(message_name), RuleCode::kMalformed));
}

}  // namespace coopchain::api
