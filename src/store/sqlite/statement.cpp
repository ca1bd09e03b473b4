#include "store/sqlite/statement.hpp"

#include <fmt/format.h>

namespace keyward::store::sqlite {

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr) != SQLITE_OK) {
    prepare_error_ = fmt::format("preparing SQL failed: {}", sqlite3_errmsg(db));
    sqlite3_finalize(statement_);
    statement_ = nullptr;
  }
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, long long value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<long long>& value) {
  if (value) return bind(index, *value);
  return bind_null(index);
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

bool Statement::step() {
  if (!statement_) {
    error_ = prepare_error_;
    return false;
  }
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) error_ = sqlite3_errmsg(db_);
  return false;
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  error_.clear();
}

core::Status Statement::run() {
  step();
  if (!error_.empty()) return core::make_error(core::ErrorCode::store_error, error_);
  return {};
}

std::string Statement::text(int column) const {
  const unsigned char* value = sqlite3_column_text(statement_, column);
  if (!value) return {};
  return std::string(reinterpret_cast<const char*>(value), sqlite3_column_bytes(statement_, column));
}

long long Statement::integer(int column) const { return sqlite3_column_int64(statement_, column); }

std::optional<long long> Statement::optional_integer(int column) const {
  if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(statement_, column);
}

core::Status execute(sqlite3* db, std::string_view sql) {
  char* message = nullptr;
  std::string owned(sql);
  if (sqlite3_exec(db, owned.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    return core::make_error(core::ErrorCode::store_error, text);
  }
  return {};
}

}  // namespace keyward::store::sqlite
