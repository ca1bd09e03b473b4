#include "report/html.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "report/report_testing.hpp"

namespace keyward::report {
namespace {

ReportInput hostile_input() {
  ReportInput input = testing::sample_input();
  input.findings[0].title = "<script>alert(1)</script>";
  input.findings[0].identity.name = "bot\" onmouseover=\"x";
  input.findings[0].evidence[0].description = "<img src=x onerror=alert(2)>";
  input.findings[0].remediation_steps = {"curl 'https://example.com/?a=1&b=2'"};
  input.alerts[0].title = "<script>alert(3)</script>";
  return input;
}

TEST(Html, EscapesFindingText) {
  const std::string page = html_report(hostile_input(), true, false);
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("onmouseover=\""), std::string::npos);
  EXPECT_NE(page.find("bot&quot; onmouseover=&quot;x"), std::string::npos);
  EXPECT_NE(page.find("a=1&amp;b=2"), std::string::npos);
}

TEST(Html, EscapesAlertText) {
  const std::string page = html_report(hostile_input(), false, true);
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(3)&lt;/script&gt;"), std::string::npos);
}

TEST(Html, LoadsNothingExternal) {
  for (bool findings : {true, false}) {
    const std::string page = html_report(hostile_input(), findings, !findings);
    const std::regex external(R"((src|href|action|xmlns)\s*=\s*["']?[a-z]*:?//|url\(|@import)", std::regex::icase);
    EXPECT_FALSE(std::regex_search(page, external)) << "external reference in the page";
    const std::regex http_attribute(R"((src|href)\s*=\s*["']?https?:)", std::regex::icase);
    EXPECT_FALSE(std::regex_search(page, http_attribute));
    // Exactly one script element: the inline one, with no src.
    EXPECT_EQ(page.find("<script src"), std::string::npos);
    EXPECT_EQ(page.find("<script>"), page.rfind("<script>"));
    EXPECT_EQ(page.find("<link"), std::string::npos);
  }
}

TEST(Html, SummaryChartsAndDetails) {
  const std::string page = html_report(testing::sample_input(), true, false);
  EXPECT_NE(page.find("Risk by platform"), std::string::npos);
  EXPECT_NE(page.find("Risk by identity kind"), std::string::npos);
  EXPECT_NE(page.find("Risk by OWASP NHI id"), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("iam_user"), std::string::npos);
  EXPECT_NE(page.find("Risk factors"), std::string::npos);
  EXPECT_NE(page.find("aws iam update-access-key"), std::string::npos);
  EXPECT_NE(page.find("deprovisioned"), std::string::npos);
  EXPECT_NE(page.find("Check first"), std::string::npos);
  EXPECT_NE(page.find("class=\"filter\""), std::string::npos);
}

}  // namespace
}  // namespace keyward::report
