// The gRPC service implementations behind ClientApiServer (private to the api module).
//
// Every method reads its own request, so that bytes that are no request message are answered as
// bad input (INVALID_ARGUMENT, MALFORMED): left to gRPC, they are answered INTERNAL, or
// UNIMPLEMENTED on the callback API. Queries use gRPC's "streamed unary" and "split streaming"
// forms of the synchronous API for that, Submit the raw callback API.
#pragma once

#include "block_streams.h"
#include "coopchain/api/services.h"
#include "coopchain/v1/api.grpc.pb.h"
#include "read_limits.h"

namespace coopchain::api {

// Submit is served by gRPC's callback API: a submission holds no thread while it waits for its
// commit, and the node's answer finishes the call from whichever thread knows it.
// StreamBlocks too (block_streams.h): a stream holds no thread while it waits at the head.
class LedgerService final
    : public v1::Ledger::WithRawCallbackMethod_Submit<
          v1::Ledger::WithStreamedUnaryMethod_GetTransaction<
              v1::Ledger::WithStreamedUnaryMethod_GetBlock<
                  v1::Ledger::WithStreamedUnaryMethod_GetHead<
                      v1::Ledger::WithRawCallbackMethod_StreamBlocks<v1::Ledger::Service>>>>> {
 public:
  LedgerService(const ChainReader& reader, TransactionSubmitter& submitter,
                uint32_t submit_wait_timeout_ms, size_t max_block_streams)
      : reader_(reader),
        submitter_(submitter),
        submit_wait_timeout_ms_(submit_wait_timeout_ms),
        streams_(reader, max_block_streams) {}
  grpc::ServerUnaryReactor* Submit(grpc::CallbackServerContext*, const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::Status StreamedGetTransaction(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::GetTransactionRequest, v1::TransactionInfo>*) override;
  grpc::Status StreamedGetBlock(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::GetBlockRequest, v1::BlockInfo>*) override;
  grpc::Status StreamedGetHead(
      grpc::ServerContext*, grpc::ServerUnaryStreamer<v1::GetHeadRequest, v1::BlockInfo>*) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* StreamBlocks(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override {
    return streams_.open(context, request);
  }
  // Ends the block streams before the server shuts down.
  void stop_streams() { streams_.stop(); }

 private:
  grpc::Status serve_get_transaction(const v1::GetTransactionRequest& request,
                                     v1::TransactionInfo* response);
  grpc::Status serve_get_block(const v1::GetBlockRequest& request, v1::BlockInfo* response);
  grpc::Status serve_get_head(v1::BlockInfo* response);

  const ChainReader& reader_;
  TransactionSubmitter& submitter_;
  const uint32_t submit_wait_timeout_ms_;
  BlockStreams streams_;
};

class TraceService final : public v1::Trace::StreamedUnaryService {
 public:
  // Traces and farm listings that may run at once; more wait for a turn.
  static constexpr size_t kHeavyQueriesAtOnce = 2;

  explicit TraceService(const ChainReader& reader) : reader_(reader), heavy_(kHeavyQueriesAtOnce) {}
  grpc::Status StreamedGetLot(grpc::ServerContext*,
                              grpc::ServerUnaryStreamer<v1::GetLotRequest, v1::Lot>*) override;
  grpc::Status StreamedTraceLot(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::TraceLotRequest, v1::TraceLotResponse>*) override;
  grpc::Status StreamedGetCertificate(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::GetCertificateRequest, v1::Certificate>*) override;
  grpc::Status StreamedListLotsByFarm(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::ListLotsByFarmRequest, v1::ListLotsByFarmResponse>*) override;
  grpc::Status StreamedGetFarm(grpc::ServerContext*,
                               grpc::ServerUnaryStreamer<v1::GetFarmRequest, v1::Farm>*) override;
  grpc::Status StreamedGetEudrPackage(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::GetEudrPackageRequest, v1::EudrPackage>*) override;

 private:
  grpc::Status serve_get_lot(const v1::GetLotRequest& request, v1::Lot* response);
  grpc::Status serve_trace_lot(const grpc::ServerContext& context,
                               const v1::TraceLotRequest& request, v1::TraceLotResponse* response);
  grpc::Status serve_get_certificate(const v1::GetCertificateRequest& request,
                                     v1::Certificate* response);
  grpc::Status serve_get_farm(const v1::GetFarmRequest& request, v1::Farm* response);
  grpc::Status serve_get_eudr_package(const grpc::ServerContext& context,
                                      const v1::GetEudrPackageRequest& request,
                                      v1::EudrPackage* response);
  grpc::Status serve_list_lots_by_farm(const grpc::ServerContext& context,
                                       const v1::ListLotsByFarmRequest& request,
                                       v1::ListLotsByFarmResponse* response);
  // A ticket for a heavy query, or the RESOURCE_EXHAUSTED answer when none came free before
  // the call's deadline.
  std::optional<HeavyQueryGate::Ticket> heavy_ticket(const grpc::ServerContext& context,
                                                     grpc::Status* busy);

  const ChainReader& reader_;
  HeavyQueryGate heavy_;
};

class NodeService final : public v1::Node::StreamedUnaryService {
 public:
  explicit NodeService(const ChainReader& reader) : reader_(reader) {}
  grpc::Status StreamedGetStatus(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::GetStatusRequest, v1::NodeStatus>*) override;
  grpc::Status StreamedListPeers(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::ListPeersRequest, v1::ListPeersResponse>*) override;
  grpc::Status StreamedGetGenesis(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::GetGenesisRequest, v1::GenesisInfo>*) override;

 private:
  grpc::Status serve_get_status(v1::NodeStatus* response);
  grpc::Status serve_list_peers(v1::ListPeersResponse* response);
  grpc::Status serve_get_genesis(v1::GenesisInfo* response);

  const ChainReader& reader_;
};

// The organizations, keys, validators and proposals in force at the head (docs/governance.md).
class GovernanceService final : public v1::Governance::StreamedUnaryService {
 public:
  explicit GovernanceService(const ChainReader& reader) : reader_(reader) {}
  grpc::Status StreamedListMembers(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::ListMembersRequest, v1::Members>*) override;
  grpc::Status StreamedListProposals(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::ListProposalsRequest, v1::ListProposalsResponse>*) override;
  grpc::Status StreamedGetProposal(
      grpc::ServerContext*,
      grpc::ServerUnaryStreamer<v1::GetProposalRequest, v1::Proposal>*) override;

 private:
  grpc::Status serve_list_members(v1::Members* response);
  grpc::Status serve_list_proposals(v1::ListProposalsResponse* response);
  grpc::Status serve_get_proposal(const v1::GetProposalRequest& request, v1::Proposal* response);

  const ChainReader& reader_;
};

// The answer to bytes that are no `message_name`.
grpc::Status not_a_request(std::string_view message_name);

// Block `height` of `view` with its quorum certificate (a block above the head is NOT_FOUND).
Status fill_block(const ChainView& view, uint64_t height, bool with_transactions,
                  v1::BlockInfo* out);

// One query: reads its request at the query priority (INVALID_ARGUMENT when the bytes are no
// request), runs `handle(request, &response)`, and writes the response when it succeeds.
template <typename Request, typename Response, typename Handle>
grpc::Status serve_query(grpc::ServerUnaryStreamer<Request, Response>* stream, Handle handle) {
  run_at_query_priority();
  Request request;
  if (!stream->Read(&request)) return not_a_request(Request::descriptor()->full_name());
  Response response;
  grpc::Status status = handle(request, &response);
  if (status.ok() && !stream->Write(response)) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
  }
  return status;
}

}  // namespace coopchain::api
