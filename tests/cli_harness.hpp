#pragma once

// Runs the built `keyward` binary the way a user does, for the end-to-end suites.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace keyward::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// A fresh temporary folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("keyward-") + info->test_suite_name() + "-" + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Runs `keyward ARGS` with the shell, in `dir`, with optional stdin text.
inline CommandResult run_keyward(const std::filesystem::path& dir, const std::string& args, const std::string& stdin_text = "") {
  const auto out_path = dir / ".stdout";
  const auto err_path = dir / ".stderr";
  const auto in_path = dir / ".stdin";
  write_file(in_path, stdin_text);
  const std::string command = "cd '" + dir.string() + "' && '" + std::string(KEYWARD_BINARY) + "' " + args + " <'" +
                              in_path.string() + "' >'" + out_path.string() + "' 2>'" + err_path.string() + "'";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

}  // namespace keyward::testing
