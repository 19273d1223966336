#include "coopchain/api/health_http.h"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <sstream>
#include <thread>

#include "coopchain/consensus/incident.h"

namespace coopchain::api {

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

// The event loop publishes its status every 100 ms; this long without means it is stuck.
constexpr auto kLoopStalledAfter = std::chrono::seconds(5);
// A node further behind its leader than this serves reads that are visibly stale.
constexpr uint64_t kReadyLagBlocks = 5;

ProbeAnswer health_of(const NodeStatusView& status, std::chrono::steady_clock::time_point now) {
  if (status.published_at == std::chrono::steady_clock::time_point{}) return {true, "starting"};
  const auto silent = now - status.published_at;
  if (silent > kLoopStalledAfter) {
    return {false,
            "the event loop has not run for " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(silent).count()) +
                " s"};
  }
  return {true, "ok"};
}

ProbeAnswer readiness_of(const NodeStatusView& status, uint64_t committed_height, bool stopping) {
  if (stopping) return {false, "shutting down"};
  if (!status.storage_ok) return {false, "storage failed: " + status.storage_error};
  if (status.leader.empty()) return {false, "no leader known"};
  if (!status.majority_in_contact) return {false, "not in contact with a majority of validators"};
  if (status.leader_commit > committed_height + kReadyLagBlocks) {
    return {false, "behind the leader: at height " + std::to_string(committed_height) +
                       ", the leader at " + std::to_string(status.leader_commit)};
  }
  return {true, "ready"};
}

namespace {

std::string metrics_text(const ChainReader& reader, const NodeMetrics& metrics) {
  const MetricsSnapshot m = metrics.snapshot();
  std::ostringstream out;
  auto gauge = [&](const char* name, const char* help, const char* type, uint64_t value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
        << name << ' ' << value << '\n';
  };
  gauge("coopchain_chain_height", "Height of the committed head block.", "gauge",
        reader.committed()->head().height);
  gauge("coopchain_blocks_committed_total", "Blocks committed since start.", "counter",
        m.blocks_committed);
  gauge("coopchain_txs_committed_total", "Transactions committed since start.", "counter",
        m.txs_committed);
  gauge("coopchain_txs_rejected_total", "Transactions refused by the rules since start.", "counter",
        m.txs_rejected);
  gauge("coopchain_txs_dropped_total",
        "Transactions this node let go of before they were committed (a leader that stepped "
        "down, a block another leader replaced); their submitters were told to resubmit.",
        "counter", m.txs_dropped);
  gauge("coopchain_submissions_total", "Submissions admitted for checking since start.", "counter",
        m.submissions);
  gauge("coopchain_mempool_size", "Transactions waiting for a block.", "gauge",
        reader.status().mempool_size);
  out << "# HELP coopchain_consensus_incidents_total Messages or blocks the consensus refused, by "
         "kind (see docs/operations.md).\n# TYPE coopchain_consensus_incidents_total counter\n";
  for (size_t k = 0; k < kIncidentKinds; ++k) {
    out << "coopchain_consensus_incidents_total{kind=\""
        << consensus::incident_name(static_cast<consensus::Incident::Kind>(k)) << "\"} "
        << m.incidents[k] << '\n';
  }
  return out.str();
}

class Server;

// One request, one answer, one deadline for both; then the connection closes.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Server& server);
  ~Connection();
  void run();

 private:
  void answer();

  beast::tcp_stream stream_;
  Server& server_;
  beast::flat_buffer buffer_{8192};
  http::request_parser<http::empty_body> parser_;
  http::response<http::string_body> response_;
};

class Server {
 public:
  Server(const ChainReader& reader, const NodeMetrics& metrics, HealthHttpLimits limits)
      : reader_(reader), metrics_(metrics), limits_(limits), acceptor_(io_), retry_(io_) {}

  Status listen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
      return Status::InvalidArgument("metrics_listen must be host:port, not \"" + listen + "\"");
    }
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(listen.substr(0, colon), ec);
    if (ec) return Status::InvalidArgument("metrics_listen: bad address in \"" + listen + "\"");
    const int port = std::atoi(listen.c_str() + colon + 1);
    tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
    if (ec) return Status::Unavailable("cannot listen on " + listen + ": " + ec.message());
    accept();
    thread_ = std::thread([this] { io_.run(); });
    return Status::Ok();
  }

  void close() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      retry_.cancel();
      io_.stop();
    });
    if (thread_.joinable()) thread_.join();
  }

  const ChainReader& reader() const { return reader_; }
  const NodeMetrics& metrics() const { return metrics_; }
  const HealthHttpLimits& limits() const { return limits_; }
  void connection_closed() { --open_; }

 private:
  void accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (ec) return back_off(ec);
      backoff_ = kMinBackoff;
      if (open_ >= limits_.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);  // the descriptor is back at once
      } else {
        ++open_;
        std::make_shared<Connection>(std::move(socket), *this)->run();
      }
      accept();
    });
  }

  // Out of descriptors (EMFILE, ENFILE) or another accept error: the pending connection stays
  // in the kernel's queue, so accepting again at once would spin. Wait, then try again.
  void back_off(const boost::system::error_code& ec) {
    if (backoff_ == kMinBackoff) {
      spdlog::warn("metrics endpoint: accept failed ({}); retrying every {} ms at most",
                   ec.message(), kMaxBackoff.count());
    }
    retry_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    retry_.async_wait([this](const boost::system::error_code& wait_ec) {
      if (!wait_ec) accept();
    });
  }

  static constexpr std::chrono::milliseconds kMinBackoff{50};
  static constexpr std::chrono::milliseconds kMaxBackoff{1000};

  const ChainReader& reader_;
  const NodeMetrics& metrics_;
  const HealthHttpLimits limits_;
  size_t open_ = 0;  // touched only on the server's thread; outlives the io_context's handlers
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  std::chrono::milliseconds backoff_ = kMinBackoff;
  std::thread thread_;
};

Connection::Connection(tcp::socket socket, Server& server)
    : stream_(std::move(socket)), server_(server) {
  parser_.header_limit(8192);
}

Connection::~Connection() {
  server_.connection_closed();
}

void Connection::run() {
  stream_.expires_after(server_.limits().deadline);
  http::async_read(stream_, buffer_, parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     if (!ec) self->answer();
                   });
}

void Connection::answer() {
  const auto& request = parser_.get();
  const ChainReader& reader = server_.reader();
  auto reply = [&](http::status status, std::string body, const char* type) {
    response_.result(status);
    response_.version(request.version());
    response_.set(http::field::content_type, type);
    response_.keep_alive(false);
    response_.body() = std::move(body);
    response_.prepare_payload();
  };
  constexpr const char* kText = "text/plain; charset=utf-8";
  const beast::string_view target = request.target();
  if (request.method() != http::verb::get) {
    reply(http::status::method_not_allowed, "only GET\n", kText);
  } else if (target == "/metrics") {
    reply(http::status::ok, metrics_text(reader, server_.metrics()), "text/plain; version=0.0.4");
  } else if (target == "/healthz") {
    const ProbeAnswer a = health_of(reader.status(), std::chrono::steady_clock::now());
    reply(a.ok ? http::status::ok : http::status::service_unavailable, a.reason + "\n", kText);
  } else if (target == "/readyz") {
    const ProbeAnswer a =
        readiness_of(reader.status(), reader.committed()->head().height, reader.stopping());
    reply(a.ok ? http::status::ok : http::status::service_unavailable, a.reason + "\n", kText);
  } else {
    reply(http::status::not_found, "try /metrics, /healthz or /readyz\n", kText);
  }
  http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, size_t) {
    beast::error_code ignored;
    self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  });
}

}  // namespace

class HealthHttpServer::Impl : public Server {
 public:
  using Server::Server;
};

HealthHttpServer::HealthHttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HealthHttpServer::~HealthHttpServer() {
  close();
}

Result<std::unique_ptr<HealthHttpServer>> HealthHttpServer::start(const std::string& listen,
                                                                  const ChainReader& reader,
                                                                  const NodeMetrics& metrics,
                                                                  HealthHttpLimits limits) {
  auto impl = std::make_unique<Impl>(reader, metrics, limits);
  Status st = impl->listen(listen);
  if (!st.ok()) return st;
  return std::unique_ptr<HealthHttpServer>(new HealthHttpServer(std::move(impl)));
}

void HealthHttpServer::close() {
  if (impl_) impl_->close();
}

}  // namespace coopchain::api
