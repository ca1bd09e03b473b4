#include "sources/common/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keyward::sources {
namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text, std::vector<std::string>* errors = nullptr) {
  CsvReader reader(text);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    if (!reader.error().empty()) {
      if (errors != nullptr) errors->push_back(reader.error());
      continue;
    }
    records.push_back(fields);
  }
  return records;
}

TEST(CsvReader, SplitsQuotedFields) {
  auto records = read_all("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1], (std::vector<std::string>{"x,1", "say \"hi\"", ""}));
}

TEST(CsvReader, QuotedFieldSpansLines) {
  CsvReader reader("h1,h2\n\"line one\nline two\",b\nc,d\n");
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.next(fields));
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(fields[0], "line one\nline two");
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.line(), 4);
  EXPECT_EQ(fields[0], "c");
}

TEST(CsvReader, HandlesCrlfAndBom) {
  auto records = read_all("\xEF\xBB\xBFname,value\r\nx,1\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0][0], "name");
  EXPECT_EQ(records[1][1], "1");
}

TEST(CsvReader, UnbalancedQuoteReportsAndResumes) {
  std::vector<std::string> errors;
  auto records = read_all("a,b\n\"open,x\n", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(records.size(), 1u);
}

TEST(CsvReader, LastRecordWithoutNewline) {
  auto records = read_all("a,b\n1,2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1], (std::vector<std::string>{"1", "2"}));
}

TEST(CsvHeader, FindsColumnsIgnoringCase) {
  CsvHeader header({"Id", " LastUsedDate", "User.Username"});
  EXPECT_EQ(header.find("LastUsedDate"), 1u);
  EXPECT_EQ(header.find("lastuseddate"), 1u);
  EXPECT_FALSE(header.has("missing"));
  std::vector<std::string> record = {"07L1", "2026-01-01"};
  EXPECT_EQ(header.get(record, "User.Username"), "");
  EXPECT_EQ(header.get(record, "id"), "07L1");
}

TEST(CsvHeader, HeaderOfHead) {
  EXPECT_EQ(csv_header_of("user,clientId,scopes\nx,y,z\n"), (std::vector<std::string>{"user", "clientId", "scopes"}));
}

}  // namespace
}  // namespace keyward::sources
