// Database passwords in connection URIs (RFC 3986 userinfo) and in JDBC, ODBC and ADO.NET
// connection strings. The secret is the password alone, so the same password in two formats
// has one fingerprint.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

// Builds a rule for "<scheme>://user:password@host" where `pattern` spells out the schemes.
SecretRule uri_password_rule(std::string_view id, std::string_view name, std::string_view service,
                             std::string_view pattern, std::string_view example, std::string_view negative,
                             std::string_view reference) {
  return SecretRule{
      .id = id,
      .name = name,
      .service = service,
      .category = Category::database,
      .pattern = pattern,
      .max_match_length = 540,
      .placeholder_filter = true,
      .examples = {example},
      .negative_examples = {negative, "see the connection URI format in the docs: scheme://user:password@host"},
      .reference = reference,
  };
}

void add_uri_rules(std::vector<SecretRule>& rules) {
  rules.push_back(uri_password_rule(
      "database.postgres_uri_password", "PostgreSQL password in a connection URI", "PostgreSQL",
      R"(\bpostgres(?:ql)?(?:\+[a-z0-9]{1,20})?://[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{3,128})@[A-Za-z0-9.\[\]_-]{1,253})",
      "DATABASE_URL=postgresql://app_rw:Vq8nL2xR5tKw@db.kwfake.internal:5432/app?sslmode=require",
      "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.kwfake.internal/app",
      "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS"));
  rules.push_back(uri_password_rule(
      "database.mysql_uri_password", "MySQL or MariaDB password in a connection URI", "MySQL",
      R"(\b(?:mysql|mysqlx|mariadb)(?:\+[a-z0-9]{1,20})?://[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{3,128})@[A-Za-z0-9.\[\]_-]{1,253})",
      "SQLALCHEMY_DATABASE_URI = 'mysql+pymysql://shop:Hz4!rM8qWp2d@mysql.kwfake.internal/shop'",
      "mysql://root:password@localhost:3306/test",
      "https://dev.mysql.com/doc/refman/8.4/en/connecting-using-uri-or-key-value-pairs.html"));
  rules.push_back(uri_password_rule(
      "database.mongodb_uri_password", "MongoDB password in a connection string", "MongoDB",
      R"(\bmongodb(?:\+srv)?://[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{3,128})@[A-Za-z0-9.,:\[\]_-]{1,253})",
      "MONGO_URL=mongodb+srv://reporting:Tn6xQ2vB9kLs@cluster0.kwfake.mongodb.net/?retryWrites=true",
      "mongodb://<username>:<password>@cluster0.kwfake.mongodb.net",
      "https://www.mongodb.com/docs/manual/reference/connection-string/"));
  rules.push_back(uri_password_rule(
      "database.redis_uri_password", "Redis password in a connection URI", "Redis",
      R"(\brediss?://[^:@/\s"'<>]{0,128}:([^@/\s"'<>]{3,128})@[A-Za-z0-9.\[\]_-]{1,253})",
      "REDIS_URL=rediss://:Jw3mZ8pQ5tXy@cache.kwfake.internal:6380/0",
      "REDIS_URL=redis://:${REDIS_PASSWORD}@cache.kwfake.internal:6379",
      "https://www.iana.org/assignments/uri-schemes/prov/redis"));
  rules.push_back(uri_password_rule(
      "database.amqp_uri_password", "AMQP (RabbitMQ) password in a connection URI", "RabbitMQ",
      R"(\bamqps?://[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{3,128})@[A-Za-z0-9.\[\]_-]{1,253})",
      "CELERY_BROKER_URL=amqps://worker:Rk7vN3xQ8mLp@mq.kwfake.internal:5671/prod",
      "amqp://guest:guest@localhost:5672/",
      "https://www.rabbitmq.com/docs/uri-spec"));
  rules.push_back(uri_password_rule(
      "database.mssql_uri_password", "SQL Server password in a connection URI", "SQL Server",
      R"(\b(?:sqlserver|mssql)(?:\+[a-z0-9]{1,20})?://[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{3,128})@[A-Za-z0-9.\[\]_-]{1,253})",
      "DB=mssql+pyodbc://reporter:Gm5#tY8wQ2zc@sql.kwfake.internal:1433/sales?driver=ODBC+Driver+18",
      "sqlserver://sa:changeme@localhost:1433",
      "https://docs.sqlalchemy.org/en/20/dialects/mssql.html"));
  rules.push_back(uri_password_rule(
      "database.clickhouse_uri_password", "ClickHouse password in a connection URI", "ClickHouse",
      R"(\bclickhouse(?:\+[a-z0-9]{1,20})?://[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{3,128})@[A-Za-z0-9.\[\]_-]{1,253})",
      "CLICKHOUSE_URL=clickhouse://analyst:Wd2xK9vQ4nRt@ch.kwfake.internal:9440/events",
      "clickhouse://default:@localhost:9000",
      "https://clickhouse.com/docs/interfaces/cli#connection_string"));
}

void add_connection_string_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "database.jdbc_password",
      .name = "Password in a JDBC URL",
      .service = "JDBC",
      .category = Category::database,
      .pattern = R"(\bjdbc:[a-z0-9]{2,20}:[^\s"'<>]{0,300}?[?;&](?i:password)=([^&;\s"'<>]{4,128}))",
      .max_match_length = 480,
      .placeholder_filter = true,
      .examples = {"jdbc:postgresql://db.kwfake.internal:5432/app?user=app&password=Yh7vQ2xK9mLw&ssl=true",
                   "jdbc:sqlserver://sql.kwfake.internal:1433;databaseName=sales;user=reporter;password=Np4!zX8qRt2v;"},
      .negative_examples = {"jdbc:postgresql://db.kwfake.internal:5432/app?user=app&password=${DB_PASSWORD}",
                            "jdbc:mysql://db.kwfake.internal:3306/app?useSSL=true"},
      .reference = "https://learn.microsoft.com/en-us/sql/connect/jdbc/building-the-connection-url",
  });
  // ADO.NET and ODBC connection strings: "Server=...;User Id=...;Password=...;". The rule needs
  // the user right before the password, as tools write them; a password written first is left to
  // generic.password.
  rules.push_back({
      .id = "database.connection_string_password",
      .name = "Password in an ADO.NET or ODBC connection string",
      .service = "SQL Server",
      .category = Category::database,
      .pattern = R"((?i:user id|userid|user|uid|username)\s{0,4}=[^;=\n]{1,128};\s{0,4}(?i:password|pwd)\s{0,4}=\s{0,4}([^;\s"']{4,128}))",
      .max_match_length = 300,
      .placeholder_filter = true,
      .examples = {R"(Server=tcp:sql.kwfake.internal,1433;Initial Catalog=sales;User ID=reporter;Password=Qx9#mT4vLw7z;Encrypt=True;)",
                   R"(Driver={ODBC Driver 18 for SQL Server};Server=sql.kwfake.internal;UID=etl;PWD=Bn3!kR8yVt5q;)"},
      .negative_examples = {R"(Server=sql.kwfake.internal;Database=sales;Trusted_Connection=True;)",
                            R"(Server=sql.kwfake.internal;User Id=app;Password=${DB_PASSWORD};)",
                            R"(Server=sql.kwfake.internal;User Id=app;Password=<password>;)"},
      .reference = "https://learn.microsoft.com/en-us/dotnet/framework/data/adonet/connection-string-syntax",
  });
}

}  // namespace

void add_database_rules(std::vector<SecretRule>& rules) {
  add_uri_rules(rules);
  add_connection_string_rules(rules);
}

}  // namespace keyward::secrets
