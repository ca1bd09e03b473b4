#include "detect/event_helpers.hpp"

#include <gtest/gtest.h>

namespace keyward::detect {
namespace {

TEST(DisplayUrl, CutsQueryAndFragment) {
  EXPECT_EQ(display_url("https://hooks.example.com/in?token=abc#x"), "https://hooks.example.com/in?...");
}

TEST(DisplayUrl, CutsUserInformation) {
  EXPECT_EQ(display_url("https://user:secret@hooks.example.com/in"), "https://hooks.example.com/in");
}

TEST(DisplayUrl, KeepsPlainUrl) { EXPECT_EQ(display_url("https://hooks.example.com/in"), "https://hooks.example.com/in"); }

TEST(DisplayUrl, ReplacesControlCharacters) {
  EXPECT_EQ(display_url("https://a.example.com/\x1b[31m"), "https://a.example.com/?[31m");
}

}  // namespace
}  // namespace keyward::detect
