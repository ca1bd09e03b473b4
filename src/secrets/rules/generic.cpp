// Keyword-anchored generic rules: a key that names a secret (password, secret, token, API key)
// assigned a random-looking value. They catch what no provider rule covers and, being the least
// precise rules, also filter placeholders, identifiers and low-entropy values.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/placeholder.hpp"

namespace keyward::secrets {
namespace {

// Every generic pattern has the same shape: up to 24 identifier characters, the keyword and up
// to 24 more ("SPRING_DB_PASSWORD_PROD"), an optional closing quote, an assignment (=, :, := or
// =>) and the value. The match starts with the whole key name so validate_generic_assignment can
// drop keys such as "hashed_token" or "password_length". The value may hold any printable character except quotes, whitespace,
// brackets, ',', ';', ':', '<', '>' and '\': '/' and '+' stay in so base64 values match whole. A
// value must be followed by a quote, a space, a delimiter or the end of the text, so code such as
// getPassword() does not match.

constexpr std::size_t kGenericMaxMatch = 230;

SecretRule generic_rule(std::string_view id, std::string_view name, std::string_view pattern, double min_entropy,
                        std::vector<std::string_view> examples, std::vector<std::string_view> negatives) {
  return SecretRule{
      .id = id,
      .name = name,
      .service = "Generic",
      .category = Category::generic,
      .pattern = pattern,
      .max_match_length = kGenericMaxMatch,
      .min_entropy = min_entropy,
      .validate = validate_generic_assignment,
      .placeholder_filter = true,
      .examples = std::move(examples),
      .negative_examples = std::move(negatives),
  };
}

}  // namespace

void add_generic_rules(std::vector<SecretRule>& rules) {
  rules.push_back(generic_rule(
      "generic.password", "Password assigned in code or configuration",
      R"([A-Za-z0-9_.-]{0,24}(?i:passw(?:or)?d|passphrase|pwd\b)[A-Za-z0-9_.-]{0,24}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["'`]?([A-Za-z0-9!#$%&*+./=?@^_|~-]{8,128})(?:["'`\s,;)\]}<>]|$))", 3.0,
      {R"(db_password = "Qm7/xT2+vL9kR4wZ")", "SPRING_DATASOURCE_PASSWORD=Hn4@wq8Zr!2Lc",
       R"({"passphrase": "tR6+Yp1/wE3uQ8sZ"})"},
      {R"(password = "changeme")", "password: ${DB_PASSWORD}", "password = getPassword()", "password_min_length = 12", "#include <pwd.h>",
       R"(password = "hunter2")"}));
  rules.push_back(generic_rule(
      "generic.secret", "Secret assigned in code or configuration",
      R"([A-Za-z0-9_.-]{0,24}(?i:secret)[A-Za-z0-9_.-]{0,24}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["'`]?([A-Za-z0-9!#$%&*+./=?@^_|~-]{8,128})(?:["'`\s,;)\]}<>]|$))", 3.5,
      {R"(client_secret = "v8Q+2mZk/Lr5Tx9wPa3N")", "JWT_SECRET_KEY: 'Kd9!pW2x@Lq7Rz4M'"},
      {R"(client_secret = "your_client_secret_here")", R"(secret_hash: "Qm7/xT2+vL9kR4wZ")", "secret_name: prod/db/credentials", "secretKeyRef: db-credentials"}));
  rules.push_back(generic_rule(
      "generic.token", "Token assigned in code or configuration",
      R"([A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,24}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["'`]?([A-Za-z0-9!#$%&*+./=?@^_|~-]{8,128})(?:["'`\s,;)\]}<>]|$))", 3.5,
      {"AUTH_TOKEN=Zx7+Qp2/Wm9Lk4Rt8Vn3", R"(refreshToken: "Jh5$Tq8#Np2Wz6Ls")"},
      {"token_type: bearer", R"("hashed_token": "DxRzPZ+ZkbVD5PkERBtEnGzWyA6SeELNbNeH1r4uiXg=")", R"("TokenId": "00Tq3vX8kL2mRw7Z")", "token = tokenizer.next_token", R"(token = "<your-token-here>")", "csrf_token = {{ csrf_token }}"}));
  rules.push_back(generic_rule(
      "generic.api_key", "API key assigned in code or configuration",
      R"([A-Za-z0-9_.-]{0,24}(?i:api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key)[A-Za-z0-9_.-]{0,24}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["'`]?([A-Za-z0-9!#$%&*+./=?@^_|~-]{8,128})(?:["'`\s,;)\]}<>]|$))",
      3.5, {R"(apiKey: "Rt4+Wq8/Zp2Lm6Xk9Vb3")", "X_API_KEY=Ye8!Tr3@Wq6Lp1Zm"},
      {R"(api_key: "${API_KEY}")", "private_key = ./certs/server.key", "apiKey = process.env.SERVICE_API_KEY"}));
  // XML elements such as Maven's <password>...</password>; the value ends at the closing tag.
  rules.push_back(generic_rule(
      "generic.xml_element", "Secret in an XML element",
      R"re(<[A-Za-z0-9_.:-]{0,30}(?i:password|passwd|secret|token|api[_-]?key|apikey)[A-Za-z0-9_.:-]{0,30}>\s{0,4}([A-Za-z0-9!#$%&*+./=?@^_|~-]{8,128})\s{0,4}</)re",
      3.0, {"<server><id>releases</id><username>deploy</username><password>Xk3#mP9vQr2T</password></server>",
            "<ApiKey>Rt4+Wq8/Zp2Lm6Xk9Vb3</ApiKey>"},
      {"<password>${env.MAVEN_PASSWORD}</password>", "<passwordPolicy>Strict</passwordPolicy>", "<token>changeme</token>"}));
  // .netrc: "machine <host> login <user> password <password>", on one line or several.
  rules.push_back(generic_rule(
      "generic.netrc_password", "Password in a .netrc file",
      R"(\bmachine\s{1,8}[^\s]{1,253}\s{1,8}login\s{1,8}[^\s]{1,128}\s{1,8}password\s{1,8}([^\s]{4,128}))", 3.0,
      {"machine api.kwfake.internal\n  login ci-bot\n  password Wz8!qL3vRt6N\n"},
      {"machine api.kwfake.internal login ci-bot password changeme\n", "machine api.kwfake.internal login ci-bot\n"}));
  // .NET appSettings and similar: <add key="ServicePassword" value="..." />.
  rules.push_back(generic_rule(
      "generic.config_setting", "Secret in a key/value configuration setting",
      R"re((?i:key)\s{0,4}=\s{0,4}"[A-Za-z0-9_.:-]{0,40}(?i:password|secret|token|apikey|api_key)[A-Za-z0-9_.:-]{0,20}"\s{1,8}(?i:value)\s{0,4}=\s{0,4}"([A-Za-z0-9!#$%&*+./=?@^_|~-]{8,128})")re",
      3.5, {R"(<add key="PaymentGateway:ApiKey" value="Lq7+Zx2/Tr9Wm4Kp" />)"},
      {R"(<add key="ServicePassword" value="changeme" />)", R"(<add key="LogLevel" value="Information" />)"}));
}

}  // namespace keyward::secrets
