#include "secrets/pairing.hpp"


#include <algorithm>
#include <cctype>

#include "secrets/secret_text.hpp"

namespace keyward::secrets {
namespace {

constexpr std::size_t kMaxReach = 1024;

bool is_base64_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '+';
}

// Start of the line `lines` lines before `offset`, bounded by kMaxReach.
std::size_t reach_back(std::string_view text, std::size_t offset, int lines) {
  const std::size_t floor = offset > kMaxReach ? offset - kMaxReach : 0;
  std::size_t position = offset;
  int seen = 0;
  while (position > floor) {
    if (text[position - 1] == '\n' && ++seen > lines) break;
    --position;
  }
  return position;
}

// End of the line `lines` lines after `offset`, bounded by kMaxReach.
std::size_t reach_forward(std::string_view text, std::size_t offset, int lines) {
  const std::size_t ceiling = std::min(text.size(), offset + kMaxReach);
  std::size_t position = offset;
  int seen = 0;
  while (position < ceiling) {
    if (text[position] == '\n' && ++seen > lines) break;
    ++position;
  }
  return position;
}

bool looks_like_secret_key(std::string_view value) {
  bool upper = false;
  bool lower = false;
  bool non_hex = false;
  for (char c : value) {
    upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
    lower |= std::islower(static_cast<unsigned char>(c)) != 0;
    non_hex |= std::isxdigit(static_cast<unsigned char>(c)) == 0;
  }
  return upper && lower && non_hex && shannon_entropy(value) >= 4.0;
}

}  // namespace

std::optional<PairedSecret> find_aws_secret_near(std::string_view text, std::size_t id_begin, std::size_t id_end) {
  const std::size_t begin = reach_back(text, id_begin, kPairLines);
  const std::size_t end = reach_forward(text, id_end, kPairLines);
  std::optional<PairedSecret> best;
  std::size_t best_distance = 0;
  std::size_t run_start = begin;
  for (std::size_t i = begin; i <= end; ++i) {
    const bool in_run = i < end && is_base64_char(text[i]);
    if (in_run) continue;
    const std::size_t length = i - run_start;
    const bool bounded_left = run_start == 0 || (text[run_start - 1] != '=' && !is_base64_char(text[run_start - 1]));
    const bool bounded_right = i >= text.size() || (text[i] != '=' && !is_base64_char(text[i]));
    const bool is_key_id = run_start <= id_begin && i >= id_end;
    if (length == 40 && bounded_left && bounded_right && !is_key_id &&
        looks_like_secret_key(text.substr(run_start, 40))) {
      const std::size_t distance = run_start > id_end ? run_start - id_end : id_begin - std::min(id_begin, i);
      if (!best || distance < best_distance) {
        best = PairedSecret{run_start, i};
        best_distance = distance;
      }
    }
    run_start = i + 1;
  }
  return best;
}

const SecretRule& aws_paired_secret_rule() {
  static const SecretRule rule = [] {
    SecretRule r;
    r.id = "aws.secret_access_key.paired";
    r.name = "AWS secret access key (next to its access key id)";
    r.service = "AWS";
    r.category = Category::cloud;
    r.pattern = "[A-Za-z0-9/+]{40}";
    r.max_match_length = 40;
    r.platform = "aws";
    r.redact_prefix = 0;
    r.reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html";
    return r;
  }();
  return rule;
}

}  // namespace keyward::secrets
