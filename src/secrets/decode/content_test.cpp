#include "secrets/decode/content.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>

namespace keyward::secrets {
namespace {

using namespace std::string_literals;

std::string utf16(std::string_view ascii, bool little_endian, bool with_bom) {
  std::string out;
  if (with_bom) out += little_endian ? "\xFF\xFE"s : "\xFE\xFF"s;
  for (const char c : ascii) {
    if (little_endian) {
      out.push_back(c);
      out.push_back('\0');
    } else {
      out.push_back('\0');
      out.push_back(c);
    }
  }
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

std::vector<DecodedSpan> spans_of(const std::vector<DecodedSpan>& spans, std::string_view encoding) {
  std::vector<DecodedSpan> found;
  std::copy_if(spans.begin(), spans.end(), std::back_inserter(found),
               [&](const DecodedSpan& span) { return span.encoding == encoding; });
  return found;
}

TEST(ClassifyContent, TextAndUtf8) {
  EXPECT_EQ(classify_content(""), ContentKind::text);
  EXPECT_EQ(classify_content("plain ascii\nwith lines\r\n\ttabs"), ContentKind::text);
  EXPECT_EQ(classify_content("\xEF\xBB\xBFwith a UTF-8 BOM"), ContentKind::text);
  EXPECT_EQ(classify_content("caf\xC3\xA9 and Latin-1 caf\xE9"), ContentKind::text);
  EXPECT_EQ(classify_content("\x1B[31mcolored log\x1B[0m\n"), ContentKind::text);
}

TEST(ClassifyContent, Utf16BothEndiansWithAndWithoutBom) {
  const std::string text = "password = correct horse battery staple";
  EXPECT_EQ(classify_content(utf16(text, true, true)), ContentKind::utf16le);
  EXPECT_EQ(classify_content(utf16(text, false, true)), ContentKind::utf16be);
  EXPECT_EQ(classify_content(utf16(text, true, false)), ContentKind::utf16le);
  EXPECT_EQ(classify_content(utf16(text, false, false)), ContentKind::utf16be);
}

TEST(ClassifyContent, BinaryByNulBytesOrControlBytes) {
  EXPECT_EQ(classify_content("\x7F" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00"s),
            ContentKind::binary);
  std::string control;
  for (int i = 0; i < 100; ++i) control.push_back(static_cast<char>(i % 8 == 0 ? 0x01 : 'a'));
  EXPECT_EQ(classify_content(control), ContentKind::binary);
  EXPECT_EQ(classify_content("\xFF\xFE\x00\x00h\x00\x00\x00"s), ContentKind::binary);  // UTF-32LE
}

TEST(Utf16ToUtf8, ConvertsBothEndiansAndDropsBom) {
  const std::string text = "key=AKIA1234";
  EXPECT_EQ(utf16_to_utf8(utf16(text, true, true), true), text);
  EXPECT_EQ(utf16_to_utf8(utf16(text, false, true), false), text);
  EXPECT_EQ(utf16_to_utf8(utf16(text, true, false), true), text);
  EXPECT_EQ(utf16_to_utf8(utf16(text, false, false), false), text);
}

TEST(Utf16ToUtf8, SurrogatePairsAndInvalidUnits) {
  EXPECT_EQ(utf16_to_utf8("\xE9\x00"s, true), "\xC3\xA9");                   // é
  EXPECT_EQ(utf16_to_utf8("\x3D\xD8\x11\xDD"s, true), "\xF0\x9F\x94\x91");  // U+1F511 as a surrogate pair
  EXPECT_EQ(utf16_to_utf8("\x3D\xD8" "a\x00"s, true), "\xEF\xBF\xBD" "a");   // lone high surrogate
  EXPECT_EQ(utf16_to_utf8("\x11\xDD"s, true), "\xEF\xBF\xBD");               // lone low surrogate
  EXPECT_EQ(utf16_to_utf8("a\x00z"s, true), "a\xEF\xBF\xBD");                // odd trailing byte
}

TEST(PrintableRuns, KeepsLongRunsJoinedByNewline) {
  const std::string binary = "\x00\x01ghp_abcdefgh\x00xy\x00\xFFsk_live_12345678\x02short\x03"s;
  EXPECT_EQ(printable_runs(binary), "ghp_abcdefgh\nsk_live_12345678");
  EXPECT_EQ(printable_runs(binary, 2), "ghp_abcdefgh\nxy\nsk_live_12345678\nshort");
  EXPECT_EQ(printable_runs("\x00\x01"s), "");
}

TEST(FindEncoded, Base64WithSlashAndPlus) {
  const std::string encoded = "dG9rZW49Z2hwX0NhbmFyeTAwMDBGYWtlU2VjcmV0VmFsdWU+Pj8/fn4gZW5k";
  ASSERT_NE(encoded.find('/'), std::string::npos);
  ASSERT_NE(encoded.find('+'), std::string::npos);
  const std::string text = "secret: " + encoded + "\n";
  const auto spans = find_encoded(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].encoding, "base64");
  EXPECT_EQ(spans[0].text, "token=ghp_Canary0000FakeSecretValue>>??~~ end");
  EXPECT_EQ(spans[0].begin, 8u);
  EXPECT_EQ(spans[0].end, 8u + encoded.size());
}

TEST(FindEncoded, UrlSafeBase64WithDashAndUnderscore) {
  const std::string encoded = "YXBpa2V5OiBza190ZXN0X2NhbmFyeV92YWx1ZT8_Pj5-fm9r";
  const auto spans = spans_of(find_encoded("value=" + encoded), "base64");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, "apikey: sk_test_canary_value?\?>>~~ok");
}

TEST(FindEncoded, Base64AfterPathPrefix) {
  const std::string encoded = base64("user:Pa55word-for-the-database");
  const auto spans = spans_of(find_encoded("vault/kv/prod/" + encoded), "base64");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, "user:Pa55word-for-the-database");
  EXPECT_EQ(spans[0].begin, 14u);
}

TEST(FindEncoded, WrappedBase64IsOneSpan) {
  std::string plain;
  for (int i = 0; i < 6; ++i) plain += "line " + std::to_string(i) + ": some configuration text here\n";
  const std::string encoded = base64(plain);
  std::string wrapped;
  for (std::size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\n";
  const auto spans = find_encoded("data: |\n" + wrapped);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, plain);
}

TEST(FindEncoded, Base64OfUtf16DecodesToUtf8) {
  const auto spans = find_encoded("QQBXAFMAXwBTAEUAQwBSAEUAVAA9AEMAYQBuAGEAcgB5AC8AVQBUAEYAMQA2ACsAVgBhAGwAdQBlAA==");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, "AWS_SECRET=Canary/UTF16+Value");
}

TEST(FindEncoded, Base64OfBinaryAndShortRunsAreIgnored) {
  EXPECT_TRUE(find_encoded("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw==").empty());
  EXPECT_TRUE(find_encoded(base64("short")).empty());
  EXPECT_TRUE(find_encoded("ThisIsALongCamelCaseIdentifierName and /usr/local/lib/python3/site-packages").empty());
}

TEST(FindEncoded, PercentEncodedUrlPassword) {
  const std::string text = "DATABASE_URL=postgres://admin:p%40ss%2Fw0rd%21@db.internal:5432/app ok";
  const auto spans = spans_of(find_encoded(text), "percent");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, "DATABASE_URL=postgres://admin:p@ss/w0rd!@db.internal:5432/app");
  EXPECT_EQ(text.substr(spans[0].begin, spans[0].end - spans[0].begin),
            "DATABASE_URL=postgres://admin:p%40ss%2Fw0rd%21@db.internal:5432/app");
}

TEST(FindEncoded, PercentRunNeedsAValidEscape) {
  EXPECT_TRUE(spans_of(find_encoded("progress: 100% done, 50%zz of https://example.com/path"), "percent").empty());
}

TEST(FindEncoded, JsonEscapedPemIsDecoded) {
  const std::string text =
      R"({"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n", "url": "https:\/\/example.com"})";
  const auto spans = spans_of(find_encoded(text), "json-escape");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].text, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
  EXPECT_EQ(text[spans[0].begin], '"');
  EXPECT_EQ(text[spans[0].end - 1], '"');
  EXPECT_EQ(spans[1].text, "https://example.com");
}

TEST(FindEncoded, JsonUnicodeEscapesAndUnchangedStrings) {
  const auto spans = spans_of(find_encoded(R"(a = "pass\u0077ord\u003dxyz \ud83d\udd11" b = "no escapes here" c = "C:\Users\me")"),
                              "json-escape");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, "password=xyz \xF0\x9F\x94\x91");
}

TEST(FindEncoded, JsonEscapeAfterManyPlainLines) {
  // Lines without a backslash are skipped; quotes on them must not pair with the escaped string.
  std::string text;
  for (int i = 0; i < 200; ++i) text += "name = \"plain value\" and an unclosed \" quote\n";
  text += R"(key = "line\none" tail "x")";
  const auto spans = spans_of(find_encoded(text), "json-escape");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, "line\none");
  EXPECT_EQ(text.substr(spans[0].begin, 11), R"("line\none")");
}

TEST(FindEncoded, JsonStringContinuedByBackslashNewline) {
  // A backslash before the line break escapes it, so the string goes on to the next line.
  const std::string text = "a = \"first\\\nsecond \\t part\" b\n\"next \\n one\"";
  const auto spans = spans_of(find_encoded(text), "json-escape");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].text, "first\\\nsecond \t part");
  EXPECT_EQ(spans[1].text, "next \n one");
}

TEST(FindEncoded, SpansAreOrderedByBegin) {
  const std::string text = R"("a\nbcdefghij" )" + base64("first secret value here!") + " x=%41%42%43%44%45%46%47%48";
  const auto spans = find_encoded(text);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].encoding, "json-escape");
  EXPECT_EQ(spans[1].encoding, "base64");
  EXPECT_EQ(spans[2].encoding, "percent");
  EXPECT_LT(spans[0].begin, spans[1].begin);
  EXPECT_LT(spans[1].begin, spans[2].begin);
}

TEST(FindEncoded, LimitsBoundSpansAndDecodedBytes) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += R"("value\nnumber )" + std::to_string(i) + "\" ";
  DecodeLimits limits;
  limits.max_spans = 10;
  EXPECT_EQ(find_encoded(text, limits).size(), 10u);

  limits = DecodeLimits{};
  limits.max_decoded_bytes = 100;
  std::size_t total = 0;
  for (const auto& span : find_encoded(text, limits)) total += span.text.size();
  EXPECT_LE(total, 100u);
  EXPECT_GT(total, 0u);
}

TEST(FindEncoded, FiftyMegabyteLineFindsTokenOnce) {
  const std::string token = "ghp_CanaryFiftyMegabyteToken0123456789";
  const std::string filler = R"(lorem ipsum 12345 path/to/file.txt key=value; 100% "quoted" \" AAAA+/== )";
  std::string line;
  line.reserve(50u << 20);
  while (line.size() < (25u << 20)) line += filler;
  line += " " + base64(token) + " ";
  while (line.size() < (50u << 20)) line += filler;
  const auto spans = spans_of(find_encoded(line), "base64");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, token);
}

TEST(FindEncoded, FiftyMegabyteBase64AlphabetRunCompletes) {
  const std::string line(50u << 20, 'A');
  EXPECT_TRUE(find_encoded(line).empty());
  const std::string quotes = std::string(1, '"') + std::string(50u << 20, '\\');
  EXPECT_TRUE(find_encoded(quotes).empty());

  // Many long runs without '/' or '+': each run's search for a separator stays inside the run.
  std::string identifiers;
  while (identifiers.size() < (50u << 20)) identifiers += "ThisIsALongCamelCaseIdentifierName ";
  EXPECT_TRUE(find_encoded(identifiers).empty());
}

}  // namespace
}  // namespace keyward::secrets
