#pragma once

// Thin RAII wrappers over the SQLite C API used by SqliteStore.

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace keyward::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool valid() const { return statement_ != nullptr; }
  // The prepare error, when valid() is false.
  const std::string& prepare_error() const { return prepare_error_; }

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, long long value);
  Statement& bind(int index, const std::optional<long long>& value);
  Statement& bind_null(int index);

  // Steps once: true when a row is available, false when done. Errors land in error().
  bool step();
  void reset();
  // Runs a statement that returns no rows.
  core::Status run();

  std::string text(int column) const;
  long long integer(int column) const;
  std::optional<long long> optional_integer(int column) const;

  const std::string& error() const { return error_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  std::string prepare_error_;
  std::string error_;
};

// Runs one or more SQL statements with no parameters.
core::Status execute(sqlite3* db, std::string_view sql);

}  // namespace keyward::store::sqlite
