#include "peer_link.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "coopchain/net/message_codec.h"

namespace coopchain::net {

PeerLink::PeerLink(PeerEndpoint endpoint, std::shared_ptr<grpc::Channel> channel,
                   size_t queue_limit, std::chrono::milliseconds backoff_min,
                   std::chrono::milliseconds backoff_max)
    : endpoint_(std::move(endpoint)),
      channel_(std::move(channel)),
      stub_(v1::Peer::NewStub(channel_)),
      queue_limit_(queue_limit),
      backoff_min_(backoff_min),
      backoff_max_(backoff_max),
      backoff_(backoff_min) {
  thread_ = std::thread([this] { run(); });
}

PeerLink::~PeerLink() {
  stop();
}

void PeerLink::send(consensus::Payload payload) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  // The newest messages matter most: heartbeats and appends supersede older ones, and the
  // protocol resends whatever a peer still needs. While the peer is unreachable only the newest
  // is kept: a leader probes an absent follower with blocks on every heartbeat, and a backlog
  // of those would cost memory now and a flood of duplicate blocks when the follower returns.
  drop_oldest_locked(unreachable_ ? 0 : std::max<size_t>(queue_limit_, 1) - 1);
  queue_.push_back(std::move(payload));
  cv_.notify_one();
}

void PeerLink::drop_oldest_locked(size_t keep) {
  while (queue_.size() > keep) {
    queue_.pop_front();
    ++dropped_;
  }
}

void PeerLink::peer_alive() {
  {
    std::lock_guard lock(mu_);
    if (!unreachable_ || nudged_) return;
    nudged_ = true;
    cv_.notify_all();
  }
  // The channel keeps a reconnect backoff of its own.
  grpc::experimental::ChannelResetConnectionBackoff(channel_.get());
}

PeerHealth PeerLink::health() const {
  // Connected when the channel is up, whether or not a message went out lately (followers send
  // nothing to each other); asking also makes an idle channel connect.
  const bool ready = channel_->GetState(/*try_to_connect=*/true) == GRPC_CHANNEL_READY;
  std::lock_guard lock(mu_);
  return {endpoint_.id, endpoint_.address, ready, sent_, dropped_, last_error_};
}

void PeerLink::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (active_ != nullptr) active_->TryCancel();
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void PeerLink::back_off() {
  std::unique_lock lock(mu_);
  nudged_ = false;
  cv_.wait_for(lock, backoff_, [this] { return stopping_ || nudged_; });
  backoff_ = nudged_ ? backoff_min_ : std::min(backoff_ * 2, backoff_max_);
  nudged_ = false;
}

void PeerLink::run() {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientWriter<v1::PeerFrame>> writer;
  v1::PeerStreamEnd end;
  auto close_stream = [&](const std::string& why) {
    grpc::Status status = writer->Finish();
    {
      std::lock_guard lock(mu_);
      active_ = nullptr;
      if (connected_) spdlog::warn("link to {} lost: {}", endpoint_.id, why);
      connected_ = false;
      last_error_ = status.ok() ? why : status.error_message();
    }
    writer.reset();
    context.reset();
  };
  while (true) {
    consensus::Payload payload;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      payload = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!writer) {
      context = std::make_unique<grpc::ClientContext>();
      {
        std::lock_guard lock(mu_);
        if (stopping_) break;
        active_ = context.get();
      }
      writer = stub_->Exchange(context.get(), &end);
    }
    v1::PeerFrame frame;
    frame.set_message(encode_message(payload));
    if (!writer->Write(frame)) {
      // The message is lost with the stream; the protocol resends what a peer still needs.
      close_stream("the stream broke");
      {
        std::lock_guard lock(mu_);
        unreachable_ = true;
        drop_oldest_locked(1);
      }
      back_off();
      continue;
    }
    std::lock_guard lock(mu_);
    if (!connected_) {
      spdlog::info("link to {} at {} up", endpoint_.id, endpoint_.address);
      last_error_.clear();
    }
    connected_ = true;
    unreachable_ = false;
    backoff_ = backoff_min_;
    ++sent_;
  }
  if (writer) {
    writer->WritesDone();
    close_stream("stopping");
  }
}

}  // namespace coopchain::net
