#include "node_source.h"

#include "coopchain/wire/block_proto.h"

namespace coopchain::cli {

Result<std::unique_ptr<NodeChainSource>> NodeChainSource::open(const std::string& address) {
  std::unique_ptr<NodeChainSource> source(new NodeChainSource(address));
  v1::BlockInfo head;
  auto ctx = make_context(kQueryDeadline);
  grpc::Status st = source->client_.ledger().GetHead(ctx.get(), v1::GetHeadRequest(), &head);
  if (!st.ok()) return source->rpc_failure(st);
  source->head_height_ = head.height();
  v1::GenesisInfo genesis;
  ctx = make_context(kQueryDeadline);
  st = source->client_.node().GetGenesis(ctx.get(), v1::GetGenesisRequest(), &genesis);
  if (!st.ok()) return source->rpc_failure(st);
  source->genesis_json_ = genesis.genesis_json();

  // No deadline: a long chain streams for as long as it takes; a dead node ends the stream.
  source->stream_context_ = std::make_unique<grpc::ClientContext>();
  v1::StreamBlocksRequest request;
  request.set_from_height(0);
  request.set_include_transactions(true);
  source->stream_ = source->client_.ledger().StreamBlocks(source->stream_context_.get(), request);
  return source;
}

NodeChainSource::~NodeChainSource() {
  // StreamBlocks follows the head forever; the audit has what it came for.
  if (stream_ && !finished_) {
    stream_context_->TryCancel();
    (void)stream_->Finish();
  }
}

Status NodeChainSource::rpc_failure(const grpc::Status& status) const {
  return Status::Unavailable(describe_rpc_error(client_.address(), status));
}

Result<std::optional<audit::ChainRecord>> NodeChainSource::next(uint64_t height) {
  if (height > head_height_) return std::optional<audit::ChainRecord>();
  v1::BlockInfo info;
  if (!stream_->Read(&info)) {
    finished_ = true;
    const grpc::Status st = stream_->Finish();
    if (st.ok()) {
      return Status::Unavailable("the stream from node " + client_.address() +
                                 " ended before block " + std::to_string(height));
    }
    return rpc_failure(st);
  }
  auto rebuilt = wire::block_from_proto(info);
  if (!rebuilt.ok()) return rebuilt.status();
  audit::ChainRecord record{std::move(rebuilt->first), std::nullopt};
  if (height > 0) record.qc = std::move(rebuilt->second);
  return std::optional<audit::ChainRecord>(std::move(record));
}

}  // namespace coopchain::cli
