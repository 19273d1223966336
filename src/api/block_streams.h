// Ledger.StreamBlocks on gRPC's callback API. A stream holds no thread: it writes one block at a
// time (the next only once the client has taken the last, so a slow reader costs one block of
// memory, whatever its backlog), and a stream at the head waits in a list that one thread wakes
// when the published chain grows. At most `max_streams` run at once; more are answered
// RESOURCE_EXHAUSTED at once. Private to the api module.
#pragma once

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "coopchain/node/chain_reader.h"

namespace coopchain::api {

class BlockStreams {
 public:
  BlockStreams(const ChainReader& reader, size_t max_streams);
  ~BlockStreams();
  BlockStreams(const BlockStreams&) = delete;
  BlockStreams& operator=(const BlockStreams&) = delete;

  // The reactor for one call; answers at once a request that does not parse (INVALID_ARGUMENT)
  // or one past the cap (RESOURCE_EXHAUSTED).
  grpc::ServerWriteReactor<grpc::ByteBuffer>* open(grpc::CallbackServerContext* context,
                                                   const grpc::ByteBuffer* request);
  // Ends every stream waiting at the head (UNAVAILABLE) and stops waking them; streams in the
  // middle of a write end at their next block. Before the server shuts down.
  void stop();
  size_t open_streams() const { return open_.load(); }

 private:
  class Stream;

  // Registers `stream` to be woken when the chain passes `height`; false (not registered) when
  // it already has, or when stopping.
  bool wait(Stream* stream, uint64_t height);
  // Removes it; true when it was waiting (its caller then finishes it).
  bool unwait(Stream* stream);
  bool stopping();
  void follow_head();

  const ChainReader& reader_;
  const size_t max_streams_;
  std::atomic<size_t> open_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  std::set<Stream*> waiting_;
  bool stopping_ = false;
  std::thread follower_;
};

}  // namespace coopchain::api
