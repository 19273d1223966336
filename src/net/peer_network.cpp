#include "coopchain/net/peer_network.h"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "coopchain/net/grpc_status.h"
#include "coopchain/net/outcome_proto.h"
#include "forward_batcher.h"
#include "peer_book.h"
#include "peer_link.h"
#include "peer_service.h"
#include "peer_tls.h"

namespace coopchain::net {
namespace {

// A forwarded batch is answered once the leader has checked and queued it: a slow round trip
// and the checks of a full batch.
constexpr std::chrono::seconds kForwardDeadline{10};
constexpr int kKeepaliveMs = 10'000;
// A clock reading that takes longer says little about the clock.
constexpr std::chrono::seconds kClockDeadline{2};
// A keepalive ping waits behind whatever the link is sending (a block over a slow satellite
// link), so it gets half the connect timeout, and at least this.
constexpr int kKeepaliveTimeoutMinMs = 5'000;
// A connection attempt needs four round trips; one that needs more than a third of the timeout
// is close to failing.
constexpr int kRoundTripsPerConnect = 4;

int keepalive_timeout_ms(std::chrono::milliseconds connect_timeout) {
  return std::max<int>(kKeepaliveTimeoutMinMs, static_cast<int>(connect_timeout.count() / 2));
}

// Node id → pin (empty with a CA) of every member but this node.
std::map<std::string, std::string> pins_of(const std::vector<PeerMember>& members,
                                           const std::string& self_id) {
  std::map<std::string, std::string> pins;
  for (const auto& m : members) {
    if (m.id != self_id) pins[m.id] = m.pin;
  }
  return pins;
}

void log_changes(const std::map<std::string, PeerMember>& before,
                 const std::map<std::string, PeerMember>& after) {
  for (const auto& [id, member] : after) {
    auto was = before.find(id);
    const std::string address = member.address.empty() ? "none: not dialled" : member.address;
    if (was == before.end()) {
      spdlog::info("peer {} joins the network (address {})", id, address);
    } else if (was->second != member) {
      spdlog::info("peer {} changed (address {})", id, address);
    }
  }
  for (const auto& [id, member] : before) {
    if (after.count(id) == 0) spdlog::info("peer {} left the network", id);
  }
}

}  // namespace

// Stands between the service and the node's handler: whatever arrives from a peer also tells
// our link to it that it is up.
class PeerNetwork::Impl final : private PeerHandler {
 public:
  Impl(PeerNetworkOptions options, PeerHandler& handler)
      : options_(std::move(options)),
        handler_(handler),
        book_(std::make_shared<PeerBook>(pins_of(options_.members, options_.self_id))),
        service_(options_.self_id, book_, *this),
        forwarder_(
            [this](const std::string& leader, std::vector<SignedTransaction> txs,
                   std::function<void(ForwardBatcher::Outcomes)> answer) {
              call_forward(leader, std::move(txs), std::move(answer));
            },
            options_.forward_senders, options_.forward_batch) {}

  Status start() {
    // The links exist before the server: a peer's first message already looks its link up.
    apply_members(options_.members, /*announce=*/false);
    grpc::ServerBuilder builder;
    builder.AddListeningPort(options_.listen, peer_server_credentials(options_, book_), &port_);
    builder.RegisterService(&service_);
    builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
    builder.SetMaxSendMessageSize(options_.max_message_bytes);
    // Peers ping idle links to notice a dead one; allow them to.
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                               kKeepaliveMs / 2);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
    server_ = builder.BuildAndStart();
    if (!server_ || port_ == 0) {
      return Status::Unavailable("cannot listen for peers on " + options_.listen);
    }
    spdlog::info("listening for peers on {} (mutual TLS); {} peers", options_.listen,
                 links().size());
    return Status::Ok();
  }

  void set_members(std::vector<PeerMember> members) {
    apply_members(std::move(members), /*announce=*/true);
  }

  // Logs who joined, changed or left when `announce` (not at start).
  void apply_members(std::vector<PeerMember> members, bool announce) {
    std::erase_if(members, [this](const PeerMember& m) { return m.id == options_.self_id; });
    book_->replace(pins_of(members, options_.self_id));
    std::vector<std::shared_ptr<PeerLink>> closing;
    std::vector<std::shared_ptr<PeerLink>> retrying;
    {
      std::lock_guard lock(links_mu_);
      if (stopping_links_) return;
      std::map<std::string, PeerMember> next;
      for (auto& m : members) next[m.id] = std::move(m);
      for (auto it = links_.begin(); it != links_.end();) {
        auto member = next.find(it->first);
        if (member == next.end() || member->second.address != members_.at(it->first).address) {
          closing.push_back(std::move(it->second));
          it = links_.erase(it);
        } else {
          ++it;
        }
      }
      for (const auto& [id, member] : next) {
        if (links_.count(id) == 0 && !member.address.empty()) {
          links_.emplace(id, make_link(member));
        } else if (announce && links_.count(id) != 0) {
          // A peer that refused this node as a non-member may admit it under the new membership.
          retrying.push_back(links_.at(id));
        }
      }
      if (announce) log_changes(members_, next);
      members_ = std::move(next);
    }
    for (auto& link : closing) link->stop();
    for (auto& link : retrying) link->retry_now();
  }

  void deliver(consensus::Message message) override {
    if (auto l = link(message.from)) l->peer_alive();
    handler_.deliver(std::move(message));
  }
  void forwarded_submit(std::vector<SignedTransaction> txs, ForwardAnswer answer) override {
    handler_.forwarded_submit(std::move(txs), std::move(answer));
  }

  void send(consensus::Message message) {
    if (auto l = link(message.to)) l->send(std::move(message.payload));
  }

  Result<TxOutcome> forward(const std::string& leader, const SignedTransaction& tx) {
    return forwarder_.forward(leader, tx);
  }

  void forward_async(const std::string& leader, SignedTransaction tx, ForwardBatcher::Done done) {
    forwarder_.forward_async(leader, std::move(tx), std::move(done));
  }

  int port() const { return port_; }

  std::vector<PeerHealth> health() const {
    std::vector<PeerHealth> out;
    for (const auto& [id, l] : links()) out.push_back(l->health());
    std::lock_guard lock(clocks_mu_);
    for (auto& h : out) {
      if (auto it = clocks_.find(h.id); it != clocks_.end()) h.clock = it->second;
    }
    return out;
  }

  // One Clock call per linked peer; `done` runs once per call, on a gRPC thread, with the
  // measurement or nullopt when the peer did not answer. Returns the number of calls.
  size_t probe_clocks(const std::function<void(const std::optional<ClockOffset>&)>& done) {
    using std::chrono::system_clock;
    const auto linked = links();
    for (auto& [id, link] : linked) {
      struct Call {
        grpc::ClientContext context;
        v1::ClockRequest request;
        v1::ClockReading response;
        system_clock::time_point sent;
      };
      auto call = std::make_shared<Call>();
      call->context.set_deadline(system_clock::now() + kClockDeadline);
      {
        std::lock_guard lock(clocks_mu_);
        if (stopping_clocks_) return 0;
        clock_calls_.insert(&call->context);
      }
      call->sent = system_clock::now();
      link->stub().async()->Clock(
          &call->context, &call->request, &call->response,
          [this, call, peer = id, done](grpc::Status st) {
            // Whatever happens, the call is over: stop() waits for that.
            struct Finished {
              Impl* impl;
              grpc::ClientContext* context;
              ~Finished() {
                std::lock_guard lock(impl->clocks_mu_);
                impl->clock_calls_.erase(context);
                impl->clocks_idle_.notify_all();
              }
            } finished{this, &call->context};
            if (!st.ok()) return done(std::nullopt);
            const auto received = system_clock::now();
            const auto ms = [](system_clock::time_point t) {
              return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch())
                  .count();
            };
            const int64_t midpoint = (ms(call->sent) + ms(received)) / 2;
            ClockOffset offset{peer, call->response.unix_ms() - midpoint,
                               ms(received) - ms(call->sent)};
            if (auto l = this->link(peer)) {
              l->set_round_trip(std::chrono::milliseconds(offset.rtt_ms));
            }
            bool warn = false;
            {
              std::lock_guard lock(clocks_mu_);
              clocks_[peer] = offset;
              warn = offset.rtt_ms * kRoundTripsPerConnect * 3 > options_.connect_timeout.count() &&
                     slow_link_warned_.insert(peer).second;
            }
            if (warn) {
              spdlog::warn(
                  "the round trip to {} is {} ms: a connection needs {} of them and gets "
                  "{} ms; raise peer_connect_timeout_ms (config/README.md) or it may never "
                  "reconnect after a drop",
                  peer, offset.rtt_ms, kRoundTripsPerConnect, options_.connect_timeout.count());
            }
            done(offset);
          });
    }
    return linked.size();
  }

  std::vector<ClockOffset> measure_clocks(std::chrono::milliseconds timeout) {
    struct Answers {
      std::mutex mu;
      std::condition_variable cv;
      std::vector<ClockOffset> got;
      size_t calls_over = 0;
    };
    auto answers = std::make_shared<Answers>();
    const size_t calls = probe_clocks([answers](const std::optional<ClockOffset>& o) {
      std::lock_guard lock(answers->mu);
      if (o) answers->got.push_back(*o);
      ++answers->calls_over;
      answers->cv.notify_all();
    });
    std::unique_lock lock(answers->mu);
    answers->cv.wait_for(lock, timeout, [&] { return answers->calls_over >= calls; });
    return answers->got;
  }

  void stop() {
    {
      std::lock_guard lock(calls_mu_);
      stopping_calls_ = true;
      for (ForwardCall* call : calls_) call->context.TryCancel();
    }
    {
      std::unique_lock lock(clocks_mu_);
      stopping_clocks_ = true;
      for (grpc::ClientContext* context : clock_calls_) context->TryCancel();
      clocks_idle_.wait(lock, [this] { return clock_calls_.empty(); });
    }
    forwarder_.stop();
    std::map<std::string, std::shared_ptr<PeerLink>> closing;
    {
      std::lock_guard lock(links_mu_);
      stopping_links_ = true;
      closing.swap(links_);
    }
    for (auto& [id, link] : closing) link->stop();
    if (server_) {
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
      server_->Wait();
      server_.reset();
    }
  }

 private:
  std::shared_ptr<PeerLink> make_link(const PeerMember& member) {
    auto credentials = peer_channel_credentials(options_, book_, member.id);
    grpc::ChannelArguments args;
    // The certificate the peer presents must be the node's own (its DNS name is the node id),
    // whatever address it is reached at.
    args.SetSslTargetNameOverride(member.id);
    args.SetMaxReceiveMessageSize(options_.max_message_bytes);
    args.SetMaxSendMessageSize(options_.max_message_bytes);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveMs);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, keepalive_timeout_ms(options_.connect_timeout));
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
                static_cast<int>(options_.backoff_min.count()));
    // Despite its name gRPC reads this as the time a connection attempt gets (TCP, TLS and
    // HTTP/2 together). Set to the backoff (100 ms) it abandoned every handshake over a
    // satellite link: above ~1.7 s round trip a link never came back.
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
                static_cast<int>(options_.connect_timeout.count()));
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, static_cast<int>(options_.backoff_max.count()));
    auto channel = grpc::CreateCustomChannel(member.address, credentials, args);
    return std::make_shared<PeerLink>(PeerEndpoint{member.id, member.address}, std::move(channel),
                                      options_.queue_limit, options_.backoff_min,
                                      options_.backoff_max, options_.compress_from_bytes,
                                      [this, id = member.id] { handler_.link_up(id); });
  }

  std::shared_ptr<PeerLink> link(const std::string& id) const {
    std::lock_guard lock(links_mu_);
    auto it = links_.find(id);
    return it == links_.end() ? nullptr : it->second;
  }
  std::map<std::string, std::shared_ptr<PeerLink>> links() const {
    std::lock_guard lock(links_mu_);
    return links_;
  }

  // One Forward call, answered on the gRPC thread that finishes it (or here if there is no
  // link). Calls under way are cancelled by stop().
  void call_forward(const std::string& leader, std::vector<SignedTransaction> txs,
                    std::function<void(ForwardBatcher::Outcomes)> answer) {
    auto leader_link = link(leader);
    if (!leader_link) {
      answer(Status::Unavailable("no link to the leader " + leader));
      return;
    }
    auto call = std::make_shared<ForwardCall>();
    for (auto& tx : txs) {
      auto* out = call->request.add_transactions();
      out->set_payload(std::move(tx.payload));
      out->set_signature(std::move(tx.signature));
    }
    call->context.set_deadline(std::chrono::system_clock::now() + kForwardDeadline);
    {
      std::lock_guard lock(calls_mu_);
      calls_.insert(call.get());
      if (stopping_calls_) call->context.TryCancel();
    }
    const size_t count = txs.size();
    leader_link->stub().async()->Forward(
        &call->context, &call->request, &call->response,
        [this, call, count, leader, answer = std::move(answer)](grpc::Status st) {
          {
            std::lock_guard lock(calls_mu_);
            calls_.erase(call.get());
          }
          answer(forward_outcomes(leader, st, call->response, count));
        });
  }

  static ForwardBatcher::Outcomes forward_outcomes(const std::string& leader,
                                                   const grpc::Status& st,
                                                   const v1::ForwardResponse& response,
                                                   size_t count) {
    if (!st.ok()) {
      Status status = from_grpc(st);
      if (status.code() == StatusCode::kUnavailable ||
          status.code() == StatusCode::kDeadlineExceeded) {
        return Status::Unavailable("the leader " + leader +
                                   " did not answer: " + st.error_message());
      }
      return status;
    }
    if (static_cast<size_t>(response.outcomes_size()) != count) {
      return Status::Unavailable("the leader " + leader + " answered " +
                                 std::to_string(response.outcomes_size()) + " outcomes for " +
                                 std::to_string(count) + " transactions");
    }
    std::vector<Result<TxOutcome>> outcomes;
    outcomes.reserve(count);
    for (const auto& o : response.outcomes()) {
      if (o.has_response()) {
        outcomes.push_back(from_proto(o.response()));
      } else {
        outcomes.push_back(Status::Unavailable(o.unavailable()));
      }
    }
    return outcomes;
  }

  struct ForwardCall {
    grpc::ClientContext context;
    v1::ForwardRequest request;
    v1::ForwardResponse response;
  };

  PeerNetworkOptions options_;
  PeerHandler& handler_;
  const std::shared_ptr<PeerBook> book_;
  PeerService service_;
  std::unique_ptr<grpc::Server> server_;
  // Links are looked up under links_mu_ and used outside it; a link closed meanwhile drops what
  // it is sent.
  mutable std::mutex links_mu_;
  std::map<std::string, std::shared_ptr<PeerLink>> links_;
  std::map<std::string, PeerMember> members_;  // every member but this node
  bool stopping_links_ = false;
  int port_ = 0;
  std::mutex calls_mu_;
  std::set<ForwardCall*> calls_;  // Forward calls under way
  mutable std::mutex clocks_mu_;
  std::map<std::string, ClockOffset> clocks_;   // the latest measurement by peer
  std::set<std::string> slow_link_warned_;      // peers whose round trip was logged as slow
  std::set<grpc::ClientContext*> clock_calls_;  // Clock calls under way
  std::condition_variable clocks_idle_;         // clock_calls_ emptied
  bool stopping_clocks_ = false;
  bool stopping_calls_ = false;
  ForwardBatcher forwarder_;  // last: its calls use links_ until it stops
};

Result<std::unique_ptr<PeerNetwork>> PeerNetwork::start(PeerNetworkOptions options,
                                                        PeerHandler& handler) {
  auto impl = std::make_unique<Impl>(std::move(options), handler);
  Status st = impl->start();
  if (!st.ok()) return st;
  return std::unique_ptr<PeerNetwork>(new PeerNetwork(std::move(impl)));
}

PeerNetwork::PeerNetwork(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PeerNetwork::~PeerNetwork() {
  stop();
}

void PeerNetwork::send(consensus::Message message) {
  impl_->send(std::move(message));
}

Result<TxOutcome> PeerNetwork::forward(const std::string& leader, const SignedTransaction& tx) {
  return impl_->forward(leader, tx);
}

void PeerNetwork::forward_async(const std::string& leader, SignedTransaction tx,
                                std::function<void(Result<TxOutcome>)> done) {
  impl_->forward_async(leader, std::move(tx), std::move(done));
}

std::vector<PeerHealth> PeerNetwork::health() const {
  return impl_->health();
}

void PeerNetwork::set_members(std::vector<PeerMember> members) {
  impl_->set_members(std::move(members));
}

void PeerNetwork::probe_clocks() {
  impl_->probe_clocks([](const std::optional<ClockOffset>&) {});
}

std::vector<ClockOffset> PeerNetwork::measure_clocks(std::chrono::milliseconds timeout) {
  return impl_->measure_clocks(timeout);
}

int PeerNetwork::port() const {
  return impl_->port();
}

void PeerNetwork::stop() {
  impl_->stop();
}

}  // namespace coopchain::net
