#include "link_emulator.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <deque>
#include <future>
#include <random>
#include <thread>
#include <vector>

namespace coopchain::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Everything below runs on the emulator's one thread; cut() and restore() hand their work to it.
class LinkEmulator::Impl {
 public:
  Impl(int target_port, LinkShape shape, int listen_port)
      : shape_(shape),
        target_(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(target_port)),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                     static_cast<uint16_t>(listen_port))) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() {
    on_thread([this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
      for (auto& c : connections_) c->close(/*reset=*/false);
    });
    io_.stop();
    thread_.join();
  }

  int port() const { return acceptor_.local_endpoint().port(); }
  uint64_t connections() const { return accepted_.load(); }
  uint64_t bytes_sent() const { return bytes_sent_.load(); }

  void cut() {
    on_thread([this] {
      up_ = false;
      for (auto& c : connections_) c->lose();
    });
  }

  void restore() {
    on_thread([this] {
      up_ = true;
      for (auto& c : connections_) c->link_returned();
      forget_closed();
    });
  }

 private:
  class Connection;

  // One way of a connection: what was read from `from`, waiting to be written to `to`.
  struct Direction {
    Direction(tcp::socket& from, tcp::socket& to, asio::io_context& io)
        : from(&from), to(&to), timer(io) {}
    tcp::socket* from;
    tcp::socket* to;
    asio::steady_timer timer;
    std::array<char, 64 * 1024> buffer{};
    struct Chunk {
      std::vector<char> bytes;
      Clock::time_point due;
    };
    std::deque<Chunk> pending;
    Clock::time_point line_free;  // when the link has sent what it was given (its rate)
    bool writing = false;         // a write or the wait for one is under way
    bool ended = false;           // `from` closed: close `to` once pending is written
  };

  class Connection : public std::enable_shared_from_this<Connection> {
   public:
    Connection(Impl& link, tcp::socket client)
        : link_(link),
          client_(std::move(client)),
          server_(link.io_),
          up_(client_, server_, link.io_),
          down_(server_, client_, link.io_) {}

    // Connects onward now, or once the link is back.
    void start() {
      if (!link_.up_) return;  // link_returned() starts it
      started_ = true;
      // The kernel completed the client's TCP handshake at once; over the link it takes a
      // round trip before the first byte can leave.
      up_.line_free = down_.line_free = Clock::now() + link_.shape_.round_trip;
      server_.async_connect(link_.target_,
                            [self = shared_from_this()](const boost::system::error_code& ec) {
                              if (ec || self->closed_) return self->close(/*reset=*/false);
                              self->read(self->up_);
                              self->read(self->down_);
                            });
    }

    // The link went down under this connection: it is dead, though neither end knows yet.
    void lose() {
      if (!started_) return;  // it never got across: it waits for the link
      lost_ = true;
      up_.pending.clear();
      down_.pending.clear();
    }

    void link_returned() {
      if (lost_) return close(/*reset=*/true);
      if (!started_) return start();
      write_next(up_);
      write_next(down_);
    }

    bool closed() const { return closed_; }

    void close(bool reset) {
      if (closed_) return;
      closed_ = true;
      boost::system::error_code ec;
      for (tcp::socket* s : {&client_, &server_}) {
        // A zero linger makes close send a reset, as a peer that forgot the connection does.
        if (reset && s->is_open()) s->set_option(asio::socket_base::linger(true, 0), ec);
        s->close(ec);
      }
      up_.timer.cancel();
      down_.timer.cancel();
    }

   private:
    void read(Direction& d) {
      d.from->async_read_some(
          asio::buffer(d.buffer),
          [self = shared_from_this(), &d](const boost::system::error_code& ec, size_t n) {
            if (self->closed_) return;
            if (ec) {
              d.ended = true;
              return self->write_next(d);
            }
            if (&d == &self->up_) self->link_.bytes_sent_ += n;
            // Bytes sent into a dead link are gone.
            if (!self->lost_) {
              const auto now = Clock::now();
              auto& link = self->link_;
              d.line_free = std::max(d.line_free, now);
              if (link.shape_.bytes_per_second > 0) {
                d.line_free +=
                    std::chrono::microseconds(n * 1'000'000 / link.shape_.bytes_per_second);
              }
              auto due = d.line_free + link.shape_.round_trip / 2 + link.jitter();
              if (!d.pending.empty()) due = std::max(due, d.pending.back().due);
              d.pending.push_back({std::vector<char>(d.buffer.begin(), d.buffer.begin() + n), due});
              self->write_next(d);
            }
            self->read(d);
          });
    }

    void write_next(Direction& d) {
      if (d.writing || closed_ || lost_ || !link_.up_) return;
      if (d.pending.empty()) {
        if (d.ended) close(/*reset=*/false);
        return;
      }
      d.writing = true;
      if (Clock::now() < d.pending.front().due) {
        d.timer.expires_at(d.pending.front().due);
        d.timer.async_wait([self = shared_from_this(), &d](const boost::system::error_code&) {
          d.writing = false;
          self->write_next(d);
        });
        return;
      }
      asio::async_write(
          *d.to, asio::buffer(d.pending.front().bytes),
          [self = shared_from_this(), &d](const boost::system::error_code& ec, size_t) {
            d.writing = false;
            if (ec) return self->close(/*reset=*/false);
            if (!d.pending.empty()) d.pending.pop_front();
            self->write_next(d);
          });
    }

    Impl& link_;
    tcp::socket client_;
    tcp::socket server_;
    Direction up_;    // client to server
    Direction down_;  // server to client
    bool started_ = false;
    bool lost_ = false;
    bool closed_ = false;
  };

  void accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec) return;  // closed
      ++accepted_;
      forget_closed();
      connections_.push_back(std::make_shared<Connection>(*this, std::move(socket)));
      connections_.back()->start();
      accept();
    });
  }

  Clock::duration jitter() {
    if (shape_.jitter.count() <= 0) return Clock::duration::zero();
    std::uniform_int_distribution<int64_t> late(0, shape_.jitter.count());
    return std::chrono::milliseconds(late(random_));
  }

  void forget_closed() {
    std::erase_if(connections_, [](const auto& c) { return c->closed(); });
  }

  template <typename F>
  void on_thread(F&& f) {
    std::promise<void> done;
    asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  asio::io_context io_;
  const LinkShape shape_;
  const tcp::endpoint target_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  bool up_ = true;
  // Every connection not yet closed (one waiting for the link has no operation under way to
  // keep it alive).
  std::vector<std::shared_ptr<Connection>> connections_;
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> bytes_sent_{0};
  std::mt19937_64 random_{20261202};  // jitter; seeded, so a run is repeatable
};

LinkEmulator::LinkEmulator(int target_port, LinkShape shape, int listen_port)
    : impl_(std::make_unique<Impl>(target_port, shape, listen_port)) {}

LinkEmulator::~LinkEmulator() = default;

uint64_t LinkEmulator::bytes_sent() const {
  return impl_->bytes_sent();
}

int LinkEmulator::port() const {
  return impl_->port();
}

void LinkEmulator::cut() {
  impl_->cut();
}

void LinkEmulator::restore() {
  impl_->restore();
}

uint64_t LinkEmulator::connections() const {
  return impl_->connections();
}

}  // namespace coopchain::testing
