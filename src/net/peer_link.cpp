#include "peer_link.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "coopchain/net/message_codec.h"

namespace coopchain::net {

// One Exchange call. A hold keeps it open between writes until the link releases it; it then
// finishes (the link cancels it or it already broke) and deletes itself once gRPC is done.
class PeerLink::Stream final : public grpc::ClientWriteReactor<v1::PeerFrame> {
 public:
  explicit Stream(PeerLink& link) : link_(link) {}

  void open(v1::PeerFrame first) {
    frame_ = std::move(first);
    if (link_.compress_from_bytes_ > 0) context_.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    link_.stub_->async()->Exchange(&context_, &end_, this);
    AddHold();  // until release()
    AddHold();  // until this call returns: the stream may fail and finish on another thread
    StartWrite(&frame_, write_options());
    StartCall();
    RemoveHold();
  }
  void write(v1::PeerFrame frame) {
    frame_ = std::move(frame);
    StartWrite(&frame_, write_options());
  }
  void release() { RemoveHold(); }
  // Safe before open() too: the call starts cancelled.
  void cancel() { context_.TryCancel(); }

  void OnWriteDone(bool ok) override { link_.on_write_done(ok); }
  void OnDone(const grpc::Status& status) override {
    // Deleted before the link hears of it, so that a link that stops once its stream is done
    // never outlives the stream's own teardown.
    PeerLink& link = link_;
    const grpc::Status copy = status;
    delete this;
    link.on_stream_done(copy);
  }

 private:
  grpc::WriteOptions write_options() const {
    grpc::WriteOptions options;
    const int64_t round_trip = link_.round_trip_ms_.load();
    const bool quick_link = round_trip >= 0 && round_trip < kCompressFromRoundTrip.count();
    if (link_.compress_from_bytes_ == 0 || frame_.message().size() < link_.compress_from_bytes_ ||
        quick_link) {
      options.set_no_compression();
    }
    return options;
  }

  PeerLink& link_;
  grpc::ClientContext context_;
  v1::PeerStreamEnd end_;
  v1::PeerFrame frame_;
};

PeerLink::PeerLink(PeerEndpoint endpoint, std::shared_ptr<grpc::Channel> channel,
                   size_t queue_limit, std::chrono::milliseconds backoff_min,
                   std::chrono::milliseconds backoff_max, size_t compress_from_bytes,
                   std::function<void()> on_up)
    : endpoint_(std::move(endpoint)),
      channel_(std::move(channel)),
      stub_(v1::Peer::NewStub(channel_)),
      queue_limit_(queue_limit),
      backoff_min_(backoff_min),
      backoff_max_(backoff_max),
      compress_from_bytes_(compress_from_bytes),
      on_up_(std::move(on_up)),
      backoff_(backoff_min) {}

PeerLink::~PeerLink() {
  stop();
}

void PeerLink::send(consensus::Payload payload) {
  Step step;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    // The newest messages matter most: heartbeats and appends supersede older ones, and the
    // protocol resends whatever a peer still needs. While the peer is unreachable only the
    // newest is kept: a leader probes an absent follower with blocks on every heartbeat, and a
    // backlog of those would cost memory now and a flood of duplicate blocks when the follower
    // returns.
    drop_oldest_locked(unreachable_ ? 0 : std::max<size_t>(queue_limit_, 1) - 1);
    queue_.push_back(std::move(payload));
    step = next_write_locked();
  }
  run(std::move(step));
}

PeerLink::Step PeerLink::next_write_locked() {
  Step step;
  if (busy_ || stopping_ || queue_.empty()) return step;
  if (stream_ == nullptr && retry_pending_) return step;  // backing off
  step.payload = std::move(queue_.front());
  queue_.pop_front();
  busy_ = true;
  if (stream_ != nullptr) {
    step.write = stream_;
  } else {
    stream_ = new Stream(*this);
    step.open = stream_;
  }
  return step;
}

void PeerLink::run(Step step) {
  if (step.open != nullptr || step.write != nullptr) {
    v1::PeerFrame frame;
    frame.set_message(encode_message(step.payload));
    if (step.open != nullptr) {
      step.open->open(std::move(frame));
    } else {
      step.write->write(std::move(frame));
    }
  }
  if (step.close != nullptr) step.close->release();
}

void PeerLink::on_write_done(bool ok) {
  Step step;
  bool came_up = false;
  {
    std::lock_guard lock(mu_);
    if (ok) {
      ++sent_;
      if (!connected_ && !refused_) {
        spdlog::info("link to {} at {} up", endpoint_.id, endpoint_.address);
        last_error_.clear();
        came_up = true;
      }
      connected_ = true;
      tls_failure_logged_ = false;
      unreachable_ = false;
      backoff_ = backoff_min_;
    } else {
      // The message is lost with the stream; the protocol resends what a peer still needs.
      ++dropped_;
      unreachable_ = true;
      drop_oldest_locked(1);
    }
    if (!ok || stopping_) {
      step.close = stream_;  // busy_ stays set until the stream reports done
      closing_ = true;
    } else {
      busy_ = false;
      step = next_write_locked();
    }
  }
  run(std::move(step));
  if (came_up && on_up_) on_up_();
}

void PeerLink::on_stream_done(const grpc::Status& status) {
  std::shared_ptr<grpc::Alarm> retry;
  std::chrono::milliseconds wait{};
  {
    std::lock_guard lock(mu_);
    stream_ = nullptr;
    busy_ = false;
    closing_ = false;
    std::string why = status.ok() ? "the peer ended the stream" : status.error_message();
    const bool tls_failed = why.find("certificate verify failed") != std::string::npos ||
                            why.find("andshake") != std::string::npos;
    if (tls_failed) {
      // Certificates are valid from a time to a time: a clock that is off on either side makes
      // a sound certificate look not yet valid or expired, which TLS reports only as this.
      why += " (check both clocks: `date -u` here and on " + endpoint_.id +
             "; a clock that is off makes valid certificates look not yet valid or expired)";
      if (!tls_failure_logged_ && !stopping_) {
        spdlog::warn("link to {}: TLS handshake failed: {}", endpoint_.id, why);
        tls_failure_logged_ = true;
      }
    }
    // The peer does not count this node as a member (not added yet, or removed): said once, and
    // asked again only after the longest backoff, since nothing changes until its chain does.
    const bool refused = status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
    if (connected_ && !stopping_ && !(refused && refused_)) {
      spdlog::warn("link to {} lost: {}", endpoint_.id, why);
    }
    refused_ = refused;
    if (refused) backoff_ = backoff_max_;
    connected_ = false;
    last_error_ = why;
    if (stopping_) {
      done_.notify_all();
      return;
    }
    unreachable_ = true;
    drop_oldest_locked(1);
    retry_pending_ = true;
    retry_ = std::make_shared<grpc::Alarm>();
    retry = retry_;
    wait = backoff_;
    backoff_ = std::min(backoff_ * 2, backoff_max_);
  }
  retry->Set(std::chrono::system_clock::now() + wait, [this](bool) { on_retry(); });
  bool hurry = false;
  {
    std::lock_guard lock(mu_);
    // Stopped, or the peer was heard from since the stream broke: do not wait it out.
    hurry = (stopping_ || nudged_) && retry_ == retry && retry_pending_;
  }
  if (hurry) retry->Cancel();
}

void PeerLink::on_retry() {
  Step step;
  {
    std::lock_guard lock(mu_);
    retry_pending_ = false;
    if (stopping_) {
      done_.notify_all();
      return;
    }
    if (nudged_) backoff_ = backoff_min_;
    nudged_ = false;
    step = next_write_locked();
  }
  run(std::move(step));
}

void PeerLink::drop_oldest_locked(size_t keep) {
  while (queue_.size() > keep) {
    queue_.pop_front();
    ++dropped_;
  }
}

void PeerLink::peer_alive() {
  std::shared_ptr<grpc::Alarm> retry;
  {
    std::lock_guard lock(mu_);
    if (!unreachable_ || nudged_) return;
    nudged_ = true;
    if (retry_pending_) retry = retry_;
  }
  if (retry) retry->Cancel();  // its callback runs now and tries again
  // The channel keeps a reconnect backoff of its own.
  grpc::experimental::ChannelResetConnectionBackoff(channel_.get());
}

void PeerLink::retry_now() {
  peer_alive();
  grpc::experimental::ChannelResetConnectionBackoff(channel_.get());
}

PeerHealth PeerLink::health() const {
  // Connected when the channel is up, whether or not a message went out lately (followers send
  // nothing to each other); asking also makes an idle channel connect.
  const bool ready = channel_->GetState(/*try_to_connect=*/true) == GRPC_CHANNEL_READY;
  std::lock_guard lock(mu_);
  return {endpoint_.id, endpoint_.address, ready, sent_, dropped_, last_error_, std::nullopt};
}

void PeerLink::stop() {
  Step step;
  std::shared_ptr<grpc::Alarm> retry;
  std::unique_lock lock(mu_);
  if (!stopping_) {
    stopping_ = true;
    dropped_ += queue_.size();
    queue_.clear();
    if (stream_ != nullptr && !closing_) {
      // Alive while mu_ is held: only the holder of busy_ releases it, and takes mu_ to decide
      // so (closing_). Once released it may be gone before it reports done.
      stream_->cancel();
      if (!busy_) {
        busy_ = true;
        closing_ = true;
        step.close = stream_;
      }
    }
    if (retry_pending_) retry = retry_;
  }
  lock.unlock();
  if (retry) retry->Cancel();
  run(std::move(step));
  lock.lock();
  done_.wait(lock, [this] { return stream_ == nullptr && !retry_pending_; });
}

}  // namespace coopchain::net
