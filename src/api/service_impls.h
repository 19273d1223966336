// The gRPC service implementations behind ClientApiServer (private to the api module).
#pragma once

#include "coopchain/api/services.h"
#include "coopchain/v1/api.grpc.pb.h"
#include "read_limits.h"

namespace coopchain::api {

// Submit is served by gRPC's callback API: a submission holds no thread while it waits for its
// commit, and the node's answer finishes the call from whichever thread knows it.
class LedgerService final : public v1::Ledger::WithCallbackMethod_Submit<v1::Ledger::Service> {
 public:
  LedgerService(const ChainReader& reader, TransactionSubmitter& submitter,
                uint32_t submit_wait_timeout_ms)
      : reader_(reader), submitter_(submitter), submit_wait_timeout_ms_(submit_wait_timeout_ms) {}
  grpc::ServerUnaryReactor* Submit(grpc::CallbackServerContext*, const v1::SubmitRequest*,
                                   v1::SubmitResponse*) override;
  grpc::Status GetTransaction(grpc::ServerContext*, const v1::GetTransactionRequest*,
                              v1::TransactionInfo*) override;
  grpc::Status GetBlock(grpc::ServerContext*, const v1::GetBlockRequest*, v1::BlockInfo*) override;
  grpc::Status GetHead(grpc::ServerContext*, const v1::GetHeadRequest*, v1::BlockInfo*) override;
  grpc::Status StreamBlocks(grpc::ServerContext*, const v1::StreamBlocksRequest*,
                            grpc::ServerWriter<v1::BlockInfo>*) override;

 private:
  const ChainReader& reader_;
  TransactionSubmitter& submitter_;
  const uint32_t submit_wait_timeout_ms_;
};

class TraceService final : public v1::Trace::Service {
 public:
  // Traces and farm listings that may run at once; more wait for a turn.
  static constexpr size_t kHeavyQueriesAtOnce = 2;

  explicit TraceService(const ChainReader& reader) : reader_(reader), heavy_(kHeavyQueriesAtOnce) {}
  grpc::Status GetLot(grpc::ServerContext*, const v1::GetLotRequest*, v1::Lot*) override;
  grpc::Status TraceLot(grpc::ServerContext*, const v1::TraceLotRequest*,
                        v1::TraceLotResponse*) override;
  grpc::Status GetCertificate(grpc::ServerContext*, const v1::GetCertificateRequest*,
                              v1::Certificate*) override;
  grpc::Status ListLotsByFarm(grpc::ServerContext*, const v1::ListLotsByFarmRequest*,
                              v1::ListLotsByFarmResponse*) override;

 private:
  // A ticket for a heavy query, or the RESOURCE_EXHAUSTED answer when none came free before
  // the call's deadline.
  std::optional<HeavyQueryGate::Ticket> heavy_ticket(const grpc::ServerContext& context,
                                                     grpc::Status* busy);

  const ChainReader& reader_;
  HeavyQueryGate heavy_;
};

class NodeService final : public v1::Node::Service {
 public:
  explicit NodeService(const ChainReader& reader) : reader_(reader) {}
  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                         v1::NodeStatus*) override;
  grpc::Status ListPeers(grpc::ServerContext*, const v1::ListPeersRequest*,
                         v1::ListPeersResponse*) override;
  grpc::Status GetGenesis(grpc::ServerContext*, const v1::GetGenesisRequest*,
                          v1::GenesisInfo*) override;

 private:
  const ChainReader& reader_;
};

}  // namespace coopchain::api
