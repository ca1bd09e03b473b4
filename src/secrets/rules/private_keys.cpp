// Private keys: PEM (RFC 7468) in its RSA, EC, DSA, OpenSSH, PKCS#8 and encrypted PKCS#8 forms,
// OpenPGP, PuTTY and SSH2 key files, age identities and WireGuard keys. A PEM secret is the whole
// block from BEGIN to END, with real newlines or with the "\n" escapes of a JSON string.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/checksums.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {
namespace {

// Key bodies are written as unbounded lazy repeats: a bounded repeat of 4,096 characters costs
// Vectorscan about 0.4 s to compile per rule and RE2 rejects bounds above 1,000. The confirmer
// searches only max_match_length bytes back from each end, which bounds the match instead, and
// the lazy repeat stops at the first END line so two keys in a row are found separately.
// NOTE: max_match_length of 4,200 fits 4096-bit RSA keys; longer blocks (8192-bit RSA) are not
// found.
SecretRule pem_rule(std::string_view id, std::string_view name, std::string_view pattern, std::string_view example,
                    std::string_view negative) {
  return SecretRule{
      .id = id,
      .name = name,
      .service = "Private key",
      .category = Category::private_key,
      .pattern = pattern,
      .max_match_length = 4200,
      .validate = validate_pem_private_key,
      .examples = {example},
      .negative_examples = {negative},
      .reference = "https://www.rfc-editor.org/rfc/rfc7468",
  };
}

void add_pem_rules(std::vector<SecretRule>& rules) {
  rules.push_back(pem_rule(
      "private_key.rsa", "RSA private key (PKCS#1 PEM)",
      R"((-----BEGIN RSA PRIVATE KEY-----[A-Za-z0-9+/=\s\\:,.-]{60,}?-----END RSA PRIVATE KEY-----))",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEomtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFJTQSBQUklWQVRFIEtFWSwg\nbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUlNB\nIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4\ndHVyZTogZmFrZSBSU0EgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtl\neXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFJTQSBQUklWQVRFIEtFWSwgbm90IGEg\ndXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUlNBIFBSSVZB\nVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTog\nZmFrZSBSU0EgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQg\ndGVzdCBmaXh0dXJlOiBmYWtlIFJTQSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxl\nIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUlNBIFBSSVZBVEUgS0VZ\nLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBS\nU0EgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBm\naXh0dXJlOiBmYWtlIFJTQSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4g\na2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUlNBIFBSSVZBVEUgS0VZLCBub3Qg\nYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBSU0EgUFJJ\nVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJl\nOiBmYWtlIFJTQSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2Fy\nZCB0ZXN0IGZpeHR1cmU6IGZha2UgUlNBIFBSSVZBVEUgS0VZLCBub3QgYSB1c2Fi\nbGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBSU0EgUFJJVkFURSBL\nRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtl\nIFJTQSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0\nIGZpeHR1cmU6IGZha2UgUlNBIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5\nLiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBSU0EgUFJJVkFURSBLRVksIG5v\ndCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFJTQSBQ\nUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCA=\n-----END RSA PRIVATE KEY-----\n",
      "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n"));
  rules.push_back(pem_rule(
      "private_key.ec", "EC private key (SEC 1 PEM)",
      R"((-----BEGIN EC PRIVATE KEY-----[A-Za-z0-9+/=\s\\:,.-]{60,}?-----END EC PRIVATE KEY-----))",
      "key: |\n  -----BEGIN EC PRIVATE KEY-----\nMIIAdWtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIEVDIFBSSVZBVEUgS0VZLCBu\nb3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBFQyBQ\nUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIA==\n-----END EC PRIVATE KEY-----\n",
      "-----BEGIN EC PUBLIC KEY-----\nMIIAdWtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIEVDIFBVQkxJQyBLRVksIG5v\ndCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIEVDIFBV\nQkxJQyBLRVksIG5vdCBhIHVzYWJsZSBrZQ==\n-----END EC PUBLIC KEY-----\n"));
  rules.push_back(pem_rule(
      "private_key.dsa", "DSA private key (PEM)",
      R"((-----BEGIN DSA PRIVATE KEY-----[A-Za-z0-9+/=\s\\:,.-]{60,}?-----END DSA PRIVATE KEY-----))",
      "-----BEGIN DSA PRIVATE KEY-----\nMIIBt2tleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIERTQSBQUklWQVRFIEtFWSwg\nbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgRFNB\nIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4\ndHVyZTogZmFrZSBEU0EgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtl\neXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIERTQSBQUklWQVRFIEtFWSwgbm90IGEg\ndXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgRFNBIFBSSVZB\nVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTog\nZmFrZSBEU0EgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQg\ndGVzdCBmaXh0dXJlOiBmYWtlIERTQSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxl\nIGtleS4ga2V5d2E=\n-----END DSA PRIVATE KEY-----\n",
      "-----BEGIN DSA PRIVATE KEY-----\nnot base64 at all!\n-----END DSA PRIVATE KEY-----\n"));
  rules.push_back(pem_rule(
      "private_key.openssh", "OpenSSH private key",
      R"((-----BEGIN OPENSSH PRIVATE KEY-----[A-Za-z0-9+/=\s\\]{60,}?-----END OPENSSH PRIVATE KEY-----))",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAa2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT1BFTlNT\nSCBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZp\neHR1cmU6IGZha2UgT1BFTlNTSCBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtl\neS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT1BFTlNTSCBQUklWQVRFIEtF\nWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2Ug\nT1BFTlNTSCBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0\nZXN0IGZpeHR1cmU6IGZha2UgT1BFTlNTSCBQUklWQVRFIEtFWSwgbm90IGEgdXNh\nYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT1BFTlNTSCBQUklW\nQVRFIEtFWSwgbm90IGEg\n-----END OPENSSH PRIVATE KEY-----\n",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nNB72sNW5sK911PXUM3kQBID2++WMqqNNbYIkbIcD2R4dgof0/BxVowLAl1cw0xkEIG7PBUHJGVHH/Lp73kBafy3+fEUi6/19q4eYCOrkM0yL/b7mtFsmaa6/9CMfYfz/TMxP6XMMalWTQ0pYhJYTftKGjXibMKrogdRAIRk87/bNH7iXu+4MM2mIilJunBaG8tocbU5tQpjARgtWtAsMe0qgo/e9eGe6qdGtf+N4AnTa5yG152Miy7yuJBsBMqRiLt0SunbkoK2pVvSo86R4GNSeXiqpgaK07pfZCqTBkt2E2piAMKdJgOUzGODdPwGpXWhDiShL4eDg59x4FgjaWQTaMA3NTp4/jkuDiJpi6XqGstLUCVgxFqf+2p/K0Ylobj3jpBbKvlUOlmYG\n-----END OPENSSH PRIVATE KEY-----\n"));
  rules.push_back(pem_rule(
      "private_key.pkcs8", "Private key (PKCS#8 PEM)",
      R"((-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\s\\]{60,}?-----END PRIVATE KEY-----))",
      R"({"tls_key": "-----BEGIN PRIVATE KEY-----\nMIIEvWtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3Qg\nYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRF\nIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZh\na2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBm\naXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3\nYXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxl\nIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5v\ndCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZB\nVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTog\nZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0\nIGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtl\neXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2Fi\nbGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwg\nbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJ\nVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJl\nOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRl\nc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4g\na2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVz\nYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZ\nLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQ\nUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1\ncmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQg\ndGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5\nLiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEg\ndXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBL\nRVksIG5vdCBhIHVzYWJsZSA=\n-----END PRIVATE KEY-----"})",
      "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"));
  rules.push_back(pem_rule(
      "private_key.pkcs8_encrypted", "Encrypted private key (PKCS#8 PEM)",
      R"((-----BEGIN ENCRYPTED PRIVATE KEY-----[A-Za-z0-9+/=\s\\]{60,}?-----END ENCRYPTED PRIVATE KEY-----))",
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFDmtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIEVOQ1JZUFRFRCBQUklWQVRF\nIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZh\na2UgRU5DUllQVEVEIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3\nYXJkIHRlc3QgZml4dHVyZTogZmFrZSBFTkNSWVBURUQgUFJJVkFURSBLRVksIG5v\ndCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIEVOQ1JZ\nUFRFRCBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0\nIGZpeHR1cmU6IGZha2UgRU5DUllQVEVEIFBSSVZBVEUgS0VZLCBub3QgYSB1c2Fi\nbGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBFTkNSWVBURUQgUFJJ\nVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJl\nOiBmYWtlIEVOQ1JZUFRFRCBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4g\na2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgRU5DUllQVEVEIFBSSVZBVEUgS0VZ\nLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBF\nTkNSWVBURUQgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQg\ndGVzdCBmaXh0dXJlOiBmYWtlIEVOQ1JZUFRFRCBQUklWQVRFIEtFWSwgbm90IGEg\ndXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgRU5DUllQVEVE\nIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4\ndHVyZTogZmFrZSBFTkNSWVBURUQgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBr\nZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIEVOQ1JZUFRFRCBQUklWQVRF\nIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZh\na2UgRU5DUllQVEVEIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3\nYXJkIHRlc3QgZml4dHVyZTogZmFrZSBFTkNSWVBURUQgUFJJVkFURSBLRVksIG5v\ndCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIEVOQ1JZ\nUFRFRCBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0\nIGZpeHR1cmU6IGZha2UgRU5DUllQVEVEIFBSSVZBVEUgS0VZLCBub3QgYSB1c2Fi\nbGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBFTkNSWVBURUQgUFJJ\nVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJl\nOiBmYWtlIEVOQ1JZUFRFRCBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4g\na2U=\n-----END ENCRYPTED PRIVATE KEY-----\n",
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\n6p05MpI9p2YPFiSYxQN8DeLO/+0lY1auIUrcXOJuXuv5yRiUM5+ZiKOivwe3XQjVs77lEqepUpOCCW//CGZxksJuN8sh4k2HCZdiRnAc7mCEqtlY5HuoZvypL17B8Vd/M7+CHG+c/Sg3TVXPAo/PjOOUcUG0s5Y+fgjElRRd/NcPLFKC/1xStTlJtQqvItCqHTQT6sowywe3ea7R7gOxJ5D865DpwYru2IvhgxqjVMCbAzxKjIBNgNG/GSSo0x8Aclyxz0JV5/w=\n-----END PRIVATE KEY-----\n"));
}

void add_other_key_file_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "private_key.pgp",
      .name = "OpenPGP private key block",
      .service = "Private key",
      .category = Category::private_key,
      .pattern = R"((-----BEGIN PGP PRIVATE KEY BLOCK-----[A-Za-z0-9+/=\s\\:,.()@<>_-]{60,}?-----END PGP PRIVATE KEY BLOCK-----))",
      .max_match_length = 8300,
      .validate = validate_pgp_private_key,
      .examples = {"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYa2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5\nIHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNy\nZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBH\nUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2Ug\nT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6\nIGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZp\neHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0\nZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5\nd2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tl\ndC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5\nIHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNy\nZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBH\nUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2Ug\nT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6\nIGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZp\neHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0\nZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5\nd2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tl\ndC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5\nIHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNy\nZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBH\nUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2Ug\nT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6\nIGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZp\neHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0\nZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5\nd2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tl\ndC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5\nIHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNy\nZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBH\nUCBzZWNyZXQga2V5IHBhY2tldC4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2Ug\nT3BlblBHUCBzZWNy\n=/uGV\n-----END PGP PRIVATE KEY BLOCK-----\n"},
      .negative_examples = {"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nNUhG/G7muJUN9LrUCAXZYmQKqmhNc+CJqRVKP5xN9MsPqFJujJ2psSTcvjHfDq1LLPvNyWx4h1Gn4tHoACItyvcKMyToxLKW1LrRkgN9fYohlZwiJRvcgQa4riFzZ1gTNORJpOPt5pwMrypSnKbBrwvRzr7qXkZzff3aqYGOu0TUC22ktu24wEdyqgyKUfTZPImKDaiaG5/TCqjd+yDoxMxWddezK3eis/Cs+zanlIT0Hkb+yFVeiKnnGThkol+XTkdZjCFfyiXkPNWRlbCUHFJP/sqvv3QdMH49SCIFwsLWthyD2PYzoBmvQ3tVAk9jpMim0heluQa8j+X8Jpi9FrOLNJW0nbzYmzzuvAo3uXftAbSquBbz3PvP0talexObWzoyitCktfK5r579\n-----END PGP PUBLIC KEY BLOCK-----\n"},
      .reference = "https://www.rfc-editor.org/rfc/rfc4880#section-6.2",
  });
  rules.push_back({
      .id = "private_key.putty",
      .name = "PuTTY private key file",
      .service = "Private key",
      .category = Category::private_key,
      .pattern = R"(PuTTY-User-Key-File-[23]:[^\n]{1,64}\n[\s\S]*?Private-Lines:\s{0,4}[0-9]{1,3}\r?\n([A-Za-z0-9+/=][A-Za-z0-9+/=\r\n]{38,}?[A-Za-z0-9+/=])\r?\nPrivate-(?:MAC|Hash):)",
      .max_match_length = 4400,
      .examples = {"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: kwfake-key\nPublic-Lines: 2\n"
                   "AAAAC3NzaC1lZDI1NTE5AAAAIKwFakee/5vmybwxNG9pGOYD/MdB9z+QLhrKAuf2\nKwFakeZpp0AJ5EfEDlLe\nPrivate-Lines: 1\nKwFaket6WTMdYwqy5XiTAOivjvMxokxNmsvn1ALtPEwT\nPrivate-MAC: 75a23e0435173137ac6366f465ff0389761f0fcc9ec6394dc6a77dab915ca095\n"},
      .negative_examples = {"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: kwfake-key\nPublic-Lines: 2\nAAAA\n"},
      .reference = "https://the.earth.li/~sgtatham/putty/0.81/htmldoc/AppendixC.html",
  });
  rules.push_back({
      .id = "private_key.ssh2_encrypted",
      .name = "SSH2 (ssh.com) encrypted private key",
      .service = "Private key",
      .category = Category::private_key,
      .pattern = R"((---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----[A-Za-z0-9+/=\s\\:",.-]{60,}?---- END SSH2 ENCRYPTED PRIVATE KEY ----))",
      .max_match_length = 4200,
      .examples = {"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"kwfake-key\"\nKwFakevQn40VPEsTz35wtjkf1JPcrh53o+ryNZ3SLVu86nwXRDSMth4MrglZBkoF\nKwFakeQZArsw671DamjQL4nkgDDnk1YWoOCfBDruM21WCMr4yHJ6AqGGSHB5X3hB\nKwFakewlMoU6mPZ3cTpsJFN3++r2Duh7lAGaOW8z==\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n"},
      .negative_examples = {"---- BEGIN SSH2 PUBLIC KEY ----\nKwFakeldF6bzLmldFy3o43G+8mUGy36PHHHyl25NJ/eF3yh3u/ASmbn6YYdYgHqG\n---- END SSH2 PUBLIC KEY ----\n"},
      .reference = "https://www.rfc-editor.org/rfc/rfc4716",
  });
}

void add_small_key_rules(std::vector<SecretRule>& rules) {
  // An age identity is Bech32 with the human-readable part "AGE-SECRET-KEY-", so its last six
  // characters are a checksum.
  rules.push_back({
      .id = "age.secret_key",
      .name = "age secret key (identity)",
      .service = "age",
      .category = Category::private_key,
      .pattern = R"(\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b)",
      .max_match_length = 74,
      .validate = validate_bech32,
      .checksum = true,
      .redact_prefix = 15,
      .examples = {"# public key: age1kwfake\nAGE-SECRET-KEY-1DDJHJAMPWFJZQENPDDJJQCT8V5SXKETE9SSXUMM5YPEX2CTVYYSSZ3XYKN\n"},
      .negative_examples = {"AGE-SECRET-KEY-1DDJHJAMPWFJZQENPDDJJQCT8V5SXKETE9SSXUMM5YPEX2CTVYYSSZ3XYKQ\n", "AGE-SECRET-KEY-1QQQQQ"},
      .reference = "https://age-encryption.org/v1",
  });
  // A WireGuard key is 32 bytes in base64: 43 characters and '='; the 43rd character can only
  // be one whose low two bits are zero.
  rules.push_back({
      .id = "wireguard.private_key",
      .name = "WireGuard private key",
      .service = "WireGuard",
      .category = Category::private_key,
      .pattern = R"((?i:PrivateKey)\s{0,4}=\s{0,4}([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=))",
      .max_match_length = 64,
      .min_entropy = 3.5,
      .examples = {"[Interface]\nAddress = 10.8.0.2/24\nPrivateKey = MwWdRICGc0sK269554qWKur9zHztbIwKoO/GRUBuspc=\n"},
      .negative_examples = {"PrivateKey = Of4Ls36h7HbqkaanJks7SA==", "PublicKey = IDYg4iUf/p49wSPIE3cA+cHWxImOgimOIablryuLjVk="},
      .reference = "https://www.wireguard.com/quickstart/",
  });
  rules.push_back({
      .id = "wireguard.preshared_key",
      .name = "WireGuard preshared key",
      .service = "WireGuard",
      .category = Category::private_key,
      .pattern = R"((?i:PresharedKey)\s{0,4}=\s{0,4}([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=))",
      .max_match_length = 64,
      .min_entropy = 3.5,
      .examples = {"[Peer]\nPresharedKey = fhHCkE2R8rW+bOYFxdCu7Hk69h9IXrakgzTRQJpUiSw=\n"},
      .negative_examples = {"PresharedKey = 4OkzxTVGFrdoGFjoPeLFjbZdWq0="},
      .reference = "https://www.wireguard.com/quickstart/",
  });
}

}  // namespace

void add_private_key_rules(std::vector<SecretRule>& rules) {
  add_pem_rules(rules);
  add_other_key_file_rules(rules);
  add_small_key_rules(rules);
}

}  // namespace keyward::secrets
