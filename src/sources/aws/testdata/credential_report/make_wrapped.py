"""Writes get_credential_report.json: report.csv wrapped as `aws iam get-credential-report` prints it."""
import base64
import json

csv = open("report.csv", "rb").read()
# CRLF line ends inside the encoded report exercise the decoder's line handling.
body = csv.replace(b"\n", b"\r\n")
wrapped = {
    "Content": base64.b64encode(body).decode(),
    "ReportFormat": "text/csv",
    "GeneratedTime": "2025-02-18T00:00:00+00:00",
}
with open("get_credential_report.json", "w") as out:
    json.dump(wrapped, out, indent=4)
    out.write("\n")
