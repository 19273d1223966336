#include "coopchain/api/health_http.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <sstream>
#include <thread>

#include "coopchain/consensus/incident.h"

namespace coopchain::api {
namespace {

using boost::asio::ip::tcp;

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

std::string response(int code, const char* reason, const std::string& body,
                     const char* type = "text/plain; charset=utf-8") {
  std::ostringstream out;
  out << "HTTP/1.0 " << code << ' ' << reason << "\r\nContent-Type: " << type
      << "\r\nContent-Length: " << body.size() << "\r\nConnection: close\r\n\r\n"
      << body;
  return out.str();
}

struct Connection : std::enable_shared_from_this<Connection> {
  Connection(tcp::socket s, const ChainReader& r, const NodeMetrics& m)
      : socket(std::move(s)), reader(r), metrics(m) {}
  tcp::socket socket;
  const ChainReader& reader;
  const NodeMetrics& metrics;
  boost::asio::streambuf request{8192};
  std::string reply;

  void run() {
    auto self = shared_from_this();
    boost::asio::async_read_until(socket, request, "\r\n\r\n",
                                  [self](const boost::system::error_code& ec, size_t) {
                                    if (!ec) self->answer();
                                  });
  }

  void answer() {
    std::istream in(&request);
    std::string method, path;
    in >> method >> path;
    if (method != "GET") {
      reply = response(405, "Method Not Allowed", "only GET\n");
    } else if (path == "/metrics") {
      reply = response(200, "OK", metrics_text(reader, metrics), "text/plain; version=0.0.4");
    } else if (path == "/healthz") {
      reply = response(200, "OK", "ok\n");
    } else if (path == "/readyz") {
      reply = reader.stopping() ? response(503, "Service Unavailable", "shutting down\n")
                                : response(200, "OK", "ready\n");
    } else {
      reply = response(404, "Not Found", "try /metrics, /healthz or /readyz\n");
    }
    auto self = shared_from_this();
    boost::asio::async_write(socket, boost::asio::buffer(reply),
                             [self](const boost::system::error_code&, size_t) {
                               boost::system::error_code ignored;
                               self->socket.shutdown(tcp::socket::shutdown_both, ignored);
                             });
  }
};

}  // namespace

class HealthHttpServer::Impl {
 public:
  Impl(const ChainReader& reader, const NodeMetrics& metrics)
      : reader_(reader), metrics_(metrics), acceptor_(io_) {}

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
      io_.stop();
    });
    if (thread_.joinable()) thread_.join();
  }

 private:
  void accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec) return;  // closed
      std::make_shared<Connection>(std::move(socket), reader_, metrics_)->run();
      accept();
    });
  }

  const ChainReader& reader_;
  const NodeMetrics& metrics_;
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

HealthHttpServer::HealthHttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HealthHttpServer::~HealthHttpServer() {
  close();
}

Result<std::unique_ptr<HealthHttpServer>> HealthHttpServer::start(const std::string& listen,
                                                                  const ChainReader& reader,
                                                                  const NodeMetrics& metrics) {
  auto impl = std::make_unique<Impl>(reader, metrics);
  Status st = impl->listen(listen);
  if (!st.ok()) return st;
  return std::unique_ptr<HealthHttpServer>(new HealthHttpServer(std::move(impl)));
}

void HealthHttpServer::close() {
  if (impl_) impl_->close();
}

}  // namespace coopchain::api
