// Microsoft Azure and Entra ID credentials: client secrets, storage and messaging connection
// strings, shared access signatures and Azure DevOps tokens.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {
namespace {

void add_entra_and_storage_rules(std::vector<SecretRule>& rules) {
  // Secrets issued since 2021 carry "Q~" after three characters and a digit.
  rules.push_back({
      .id = "azure.entra_client_secret",
      .name = "Microsoft Entra ID application client secret",
      .service = "Microsoft Entra ID",
      .category = Category::cloud,
      .pattern = R"((?:^|[^A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$))",
      .max_match_length = 48,
      .min_entropy = 3.5,
      .platform = "entra",
      .credential_kind = "entra_client_secret",
      .examples = {"AZURE_CLIENT_SECRET=Kw47Q~KwFakeR5KJM2CF2oWVqzBD4G3BE7dvGBG_", R"("clientSecret": "a1b8Q~KwFake7K3J_U1_kgoc4-wJoz2iL8ska")"},
      .negative_examples = {"Kw47Q~KwFakeTpZFvx8VK76PXK", "Kw4xQ~KwFakeFui-tLt48dBfu4vtHCg47Qu7gxeZ"},
      .reference = "https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials",
  });
  rules.push_back({
      .id = "azure.storage_connection_string",
      .name = "Azure Storage account key in a connection string",
      .service = "Azure Storage",
      .category = Category::cloud,
      .pattern = R"((?i:AccountName)=[a-z0-9]{3,24};\s{0,4}(?i:AccountKey)=([A-Za-z0-9+/]{86}==))",
      .max_match_length = 160,
      .examples = {"DefaultEndpointsProtocol=https;AccountName=kwfakestorage;AccountKey=Qlf0+9WpkGFoROg1XY5NEEFkQKrWuXBZObvtc6iZPkmHvsRtMB34dEpBdq87fOqkALGxSwMC7GkcKYBtwH63mA==;EndpointSuffix=core.windows.net"},
      .negative_examples = {"DefaultEndpointsProtocol=https;AccountName=kwfakestorage;AccountKey=MkXcA41GrtWUkjh4UUnqkwrTWXA1CyLnVJWuBRGIaSk=",
                            "UseDevelopmentStorage=true"},
      .reference = "https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string",
  });
  rules.push_back({
      .id = "azure.storage_account_key",
      .name = "Azure Storage account key",
      .service = "Azure Storage",
      .category = Category::cloud,
      .pattern = R"((?i:storage[_.-]?(?:account[_.-]?)?(?:access[_.-]?)?key)[A-Za-z0-9_.-]{0,16}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9+/]{86}==))",
      .max_match_length = 140,
      .min_entropy = 4.0,
      .examples = {"AZURE_STORAGE_KEY=M76sk1cnxRhj7xIZ9vvUjTw+FRPvWUfIMb7D/fYwCzaNgWpq4NZPConVD9/r+oo2x1HSw+D9j56Ri2ePDoXQ8A==", R"(storage_account_access_key: "BGW6TbTdZKS9mFz7FboYB0xKv40omvreCgPknRhV/Fs5EbkLtt1Otirjm84MPXwfQ9wyEoeJ1XRZ3GpWJ2u7QQ==")"},
      .negative_examples = {"AZURE_STORAGE_KEY=W/Pf8gR8tSg0LiX50iQUSlXVwP1OAUt067ea+2EyiO4=", "account_key=Y1H4MsOUXFY1oS8QXyj2IWClB0C8mFsnUdOo4fWLMNfBalqMvksX7d2jF7SkUk7rDymDJ/q8V+YSGFLnFAGQag=="},
      .reference = "https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage",
  });
  rules.push_back({
      .id = "azure.shared_access_key",
      .name = "Azure Service Bus, Event Hubs or IoT Hub shared access key",
      .service = "Azure",
      .category = Category::cloud,
      .pattern = R"((?:SharedAccessKeyName|DeviceId|ModuleId)=[^;"'\s]{1,128};\s{0,4}SharedAccessKey=([A-Za-z0-9+/]{43}=))",
      .max_match_length = 200,
      .examples = {"Endpoint=sb://kwfake-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=lNPztLhB30uTw16uZrICah16dqbem65uK/V6Jb8haHA=",
                   "HostName=kwfake-hub.azure-devices.net;DeviceId=sensor-17;SharedAccessKey=H0FD+JIBVrBS8TRaRC6qrVI9B9JtzmpG8W+LmbZekac="},
      .negative_examples = {"SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>",
                            "SharedAccessKey=P+kh8Br22acB3/LsWmP9vbp50/UTcp5wfWmh3E+Voeo="},
      .reference = "https://learn.microsoft.com/en-us/azure/service-bus-messaging/service-bus-sas",
  });
}

void add_connection_string_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "azure.sas_token",
      .name = "Azure shared access signature",
      .service = "Azure Storage",
      .category = Category::cloud,
      .pattern = R"([?&]sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&[A-Za-z0-9%&=:._-]{0,300}?\bsig=([A-Za-z0-9%+/]{40,132}={0,2})(?:[^A-Za-z0-9%+/=]|$))",
      .max_match_length = 480,
      .validate = validate_azure_sas_signature,
      .examples = {"https://kwfake.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=TmFIZFo2bIvqt4zCDZAEAECMtVIAuLyz97awulyZrsY%3D"},
      .negative_examples = {"https://kwfake.blob.core.windows.net/x?sv=2022-11-02&sp=r&sig=tooshort",
                            "?sv=2022-11-02&sp=r&sig=rWdjgvd37BwdZ+DPKQ5jlBj0/0yD/XTd"},
      .reference = "https://learn.microsoft.com/en-us/rest/api/storageservices/create-service-sas",
  });
  rules.push_back({
      .id = "azure.app_configuration_connection_string",
      .name = "Azure App Configuration connection string",
      .service = "Azure App Configuration",
      .category = Category::cloud,
      .pattern = R"(Endpoint=https://[A-Za-z0-9-]{1,64}\.azconfig\.io;Id=[^;\s]{1,64};Secret=([A-Za-z0-9+/]{40,90}={0,2}))",
      .max_match_length = 260,
      .examples = {"Endpoint=https://kwfake-config.azconfig.io;Id=kwfk-l0-s0:KwFakeSZU4lZWM6gPFnG;Secret=Lf2TSv/8zFQqSJCoJs1YP2kFhHJ5zwqV4k85+toHoco="},
      .negative_examples = {"Endpoint=https://kwfake-config.azconfig.io;Id=abc;Secret=", "Endpoint=https://kwfake.example.com;Id=x;Secret=IB0r+i9fNC+uVPnSDAhLpWN7aSA76CUNPw2hipIAvg0="},
      .reference = "https://learn.microsoft.com/en-us/azure/azure-app-configuration/concept-enable-rbac",
  });
  rules.push_back({
      .id = "azure.cosmosdb_connection_string",
      .name = "Azure Cosmos DB account key in a connection string",
      .service = "Azure Cosmos DB",
      .category = Category::database,
      .pattern = R"(AccountEndpoint=https://[A-Za-z0-9.-]{1,128}\.documents\.azure\.com[:0-9/]{0,8};\s{0,4}AccountKey=([A-Za-z0-9+/]{86}==))",
      .max_match_length = 260,
      .examples = {"AccountEndpoint=https://kwfake-db.documents.azure.com:443/;AccountKey=eBVKXoC10O9lWOFRlhMCQPdaFTn6rZVcXoh5jy1fWmpTYC/kSf4A4HiW83VjWBrGqzBtGAnapWg8KlR0pQedZg==;"},
      .negative_examples = {"AccountEndpoint=https://localhost:8081/;AccountKey=uVWi3nMl5JJ/mR/l3BchyWw54cOk1e7sxkpvl0wYdWA6g5jStrUXmv2Xo78It1DS0XB3JsomBOkoL8FLuBekQQ==;"},
      .reference = "https://learn.microsoft.com/en-us/azure/cosmos-db/secure-access-to-data",
  });
}

void add_devops_and_openai_rules(std::vector<SecretRule>& rules) {
  // Personal access tokens created since 2024 are 84 characters with "AZDO" at positions 77-80.
  rules.push_back({
      .id = "azure.devops_pat",
      .name = "Azure DevOps personal access token",
      .service = "Azure DevOps",
      .category = Category::source_control,
      .pattern = R"(\b([A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})\b)",
      .max_match_length = 84,
      .min_entropy = 4.0,
      .examples = {"AZURE_DEVOPS_EXT_PAT=KwFakes1o9nGVzdfcf1BFA6mieh2C4OkBXLLAOap2dN4UNMfBhltmceBMtAlVGch14C9E19KA7AUAZDOaWD4"},
      .negative_examples = {"KwFakehNt0ohNWjviwejRGzLl8qbibj9FTZHeWZX83MLEmAzSzXG4uA8ZCZb9PVxoKqSPuAZDO7u2O", "KwFakeDl5yhfXwJe1oJXZPoIJtEeXQboBKOgGTDbZA6kZYzJYAkUy4aOEt7Sl0WNiGdfRSMh2FEQAZDXnpIi"},
      .reference = "https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate",
  });
  rules.push_back({
      .id = "azure.devops_pat_legacy",
      .name = "Azure DevOps personal access token (52-character format)",
      .service = "Azure DevOps",
      .category = Category::source_control,
      .pattern = R"((?i:azure[_.-]?devops|azdo|ado[_.-]pat|vsts|system[_.-]?accesstoken)[A-Za-z0-9_.-]{0,24}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([a-z2-7]{52})\b)",
      .max_match_length = 120,
      .min_entropy = 3.5,
      .examples = {"AZURE_DEVOPS_PAT=kwfakeyjtudqcfmtttxcxcquxdlbksjdtlnqbsydsyvyzbunswbz"},
      .negative_examples = {"AZURE_DEVOPS_PAT=kwfakeyehoxvafzywcyrkgvkqqapliqvwcshgzof", "npm_config_token=kwfakevuxycnefylymjvgdjfasulghttyltynjtwillpjdyrqirx"},
      .reference = "https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate",
  });
  rules.push_back({
      .id = "azure.openai_api_key",
      .name = "Azure OpenAI API key",
      .service = "Azure OpenAI",
      .category = Category::ai,
      .pattern = R"((?i:azure[_.-]?openai)[A-Za-z0-9_.-]{0,24}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{32})\b)",
      .max_match_length = 96,
      .min_entropy = 3.0,
      .examples = {"AZURE_OPENAI_API_KEY=3cb98224ebd15de506ad64e493867ab1"},
      .negative_examples = {"AZURE_OPENAI_ENDPOINT=https://kwfake.openai.azure.com/", "OPENAI_API_KEY=e7044c3e01180532ada1c0fa9b5c7b42"},
      .reference = "https://learn.microsoft.com/en-us/azure/ai-services/openai/reference",
  });
}

}  // namespace

void add_azure_rules(std::vector<SecretRule>& rules) {
  add_entra_and_storage_rules(rules);
  add_connection_string_rules(rules);
  add_devops_and_openai_rules(rules);
}

}  // namespace keyward::secrets
