#pragma once

// A small std::expected stand-in (GCC 12 has no <expected>) for parse and I/O boundaries.

#include <string>
#include <utility>
#include <variant>

namespace keyward::core {

enum class ErrorCode {
  invalid_argument,
  invalid_input,
  not_found,
  io_error,
  unsupported_format,
  store_error,
  limit_exceeded,
};

// An error with the place it happened: a file path, and a line or byte offset when known.
struct Error {
  ErrorCode code = ErrorCode::invalid_input;
  std::string message;
  std::string file;
  long long offset = -1;  // byte offset into the file, or -1
  long long line = -1;    // 1-based line number, or -1

  // Formats the error as "file:line: message" or "file@offset: message".
  std::string describe() const;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}, -1, -1};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : value_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<Error>(value_); }

 private:
  std::variant<T, Error> value_;
};

// Result of an operation that produces no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace keyward::core
