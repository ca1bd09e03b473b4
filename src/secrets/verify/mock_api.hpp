#pragma once

// A stand-in for the services' APIs in verification tests: a cpp-httplib server on 127.0.0.1
// with an ephemeral port that records every request and replies from handlers the test registers.

// Debian's libcpp-httplib-dev ships httplib.h as declarations for a compiled library
// (libcpp-httplib.so) built with these three options, and Request has an extra member under the
// first, so every file including the header must define them to agree with the library. The
// server here still speaks plain HTTP.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#endif
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace keyward::secrets::verification::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class MockApi {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  MockApi() = default;
  MockApi(const MockApi&) = delete;
  MockApi& operator=(const MockApi&) = delete;

  ~MockApi() {
    release();
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

  // Registers `handler` for `method` ("GET" or "POST") and the exact `path`; call before start().
  void on(const std::string& method, const std::string& path, Handler handler) {
    const Handler recording = [this, handler](const httplib::Request& request, httplib::Response& response) {
      record(request);
      handler(request, response);
    };
    if (method == "POST") {
      server_.Post(path, recording);
    } else {
      server_.Get(path, recording);
    }
  }

  // Binds 127.0.0.1 on an ephemeral port and serves from a thread. Returns false when binding
  // fails or the server is not accepting within 5 seconds.
  bool start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return false;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() only ends a server that is already running, so wait for it before returning.
    for (int attempt = 0; attempt < 5000 && !server_.is_running(); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return server_.is_running();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // Blocks the calling handler until release() or 5 seconds pass: a response slower than the
  // client's timeout that does not hold up the test's end.
  void stall() {
    std::unique_lock lock(mutex_);
    released_condition_.wait_for(lock, std::chrono::seconds(5), [this] { return released_; });
  }

  void release() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    released_condition_.notify_all();
  }

 private:
  void record(const httplib::Request& request) {
    RecordedRequest recorded{request.method, request.path, {}, request.body};
    for (const auto& [name, value] : request.headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      recorded.headers[lower] = value;
    }
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(recorded));
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable released_condition_;
  bool released_ = false;
  std::vector<RecordedRequest> requests_;
};

}  // namespace keyward::secrets::verification::testing
