import Foundation
import Testing

@testable import TributaryOpenSearch

/// The pure pieces behind SigV4 and the credential sources: canonical forms,
/// the URL split, timestamps, the refresh policy, STS XML and INI files.
@Suite struct AWSSigningPiecesTests {
    // MARK: Canonical forms

    @Test(arguments: [
        ("/_bulk", "/_bulk"),
        ("", "/"),
        // An already-encoded wire path is encoded once more (SigV4 for every service but S3).
        ("/idx/_doc/a%20b", "/idx/_doc/a%2520b"),
        ("/idx/_doc/%C3%A9", "/idx/_doc/%25C3%25A9"),
        ("/idx/_doc/a:b", "/idx/_doc/a%3Ab"),
        ("/a/./b/../c", "/a/c"),
        ("/a/b/..", "/a/"),
    ])
    func canonicalURI(path: String, expected: String) {
        #expect(AWSSigV4Canonical.uri(path) == expected)
    }

    @Test(arguments: [
        ("", ""),
        ("refresh=false", "refresh=false"),
        ("b=2&a=1&a=0", "a=0&a=1&b=2"),
        ("q=a+b", "q=a%2Bb"),
        ("q=a%20b&flag", "flag=&q=a%20b"),
        ("x=%zz&&y=%2f", "x=%25zz&y=%2F"),
    ])
    func canonicalQuery(query: String, expected: String) {
        #expect(AWSSigV4Canonical.query(query) == expected)
    }

    @Test(arguments: [
        ("http://127.0.0.1:9200/_bulk?refresh=false", ["127.0.0.1:9200", "/_bulk", "refresh=false"]),
        ("https://search-x.eu-west-1.es.amazonaws.com:443/proxy/_bulk", ["search-x.eu-west-1.es.amazonaws.com", "/proxy/_bulk", ""]),
        ("http://node:80/", ["node", "/", ""]),
        ("https://node:9200", ["node:9200", "/", ""]),
        ("https://[::1]:9200/x#frag", ["[::1]:9200", "/x", ""]),
    ])
    func signingTargetSplitsTheURL(url: String, expected: [String]) {
        let target = SigningTarget(url: url)
        #expect([target.host, target.path, target.query] == expected)
    }

    // MARK: Timestamps

    @Test func amzDateFormatting() {
        #expect(AWSTimestamp.amzDate(Date(timeIntervalSince1970: 1_440_938_160)) == "20150830T123600Z")
        #expect(AWSTimestamp.amzDate(Date(timeIntervalSince1970: 0.999)) == "19700101T000000Z")
        #expect(AWSTimestamp.amzDate(Date(timeIntervalSince1970: 951_782_400)) == "20000229T000000Z")
        #expect(AWSTimestamp.amzDate(Date(timeIntervalSince1970: -1)) == "19691231T235959Z")
    }

    @Test func iso8601Parsing() {
        let base = Date(timeIntervalSince1970: 1_440_938_160)
        #expect(AWSTimestamp.parseISO8601("2015-08-30T12:36:00Z") == base)
        #expect(AWSTimestamp.parseISO8601("2015-08-30T12:36:00.5Z") == base + 0.5)
        #expect(AWSTimestamp.parseISO8601("2015-08-30T14:36:00+02:00") == base)
        #expect(AWSTimestamp.parseISO8601("2015-08-30T11:36:00-01:00") == base)
        for bad in ["", "2015-08-30", "2015-08-30T12:36Z", "2015-13-01T00:00:00Z", "2015-08-30T12:36:00", "x2015-08-30T12:36:00Z", "2015-08-30T12:36:00Zjunk"] {
            #expect(AWSTimestamp.parseISO8601(bad) == nil, "\(bad)")
        }
    }

    @Test func calendarConversionsAreInverse() {
        for day in stride(from: -800_000, through: 800_000, by: 997) {
            let (year, month, dayOfMonth) = AWSTimestamp.civil(fromDaysSinceEpoch: day)
            #expect(AWSTimestamp.daysSinceEpoch(year: year, month: month, day: dayOfMonth) == day)
        }
    }

    // MARK: Refresh policy

    @Test func cachePolicyRefreshesBeforeExpiryAndBacksOff() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        let hourLong = AWSCredentials(
            accessKeyID: "A", secretAccessKey: "S", sessionToken: "T", expiration: start + 3600)
        var cache = CredentialCache()
        #expect(cache.action(now: start) == .refresh(fallback: nil))

        cache.refreshed(hourLong, at: start)
        #expect(cache.action(now: start + 1) == .use(hourLong))
        #expect(cache.action(now: start + 3600 - 301) == .use(hourLong))
        // Within 5 minutes of the expiry: refresh, keeping the old ones as a fallback.
        #expect(cache.action(now: start + 3600 - 299) == .refresh(fallback: hourLong))

        let failure = AWSCredentialError("endpoint down")
        cache.refreshFailed(failure, at: start + 3600 - 299)
        #expect(cache.action(now: start + 3600 - 295) == .use(hourLong))  // backing off
        #expect(cache.action(now: start + 3600 - 280) == .refresh(fallback: hourLong))
        cache.refreshFailed(failure, at: start + 3600 - 280)
        // Unusable from 10 s before the expiry; the recent failure is repeated.
        #expect(cache.action(now: start + 3600 - 9) == .refresh(fallback: nil))
        cache.refreshFailed(failure, at: start + 3600 - 9)
        #expect(cache.action(now: start + 3600 - 5) == .fail(failure))
        #expect(cache.action(now: start + 3600 + 2) == .refresh(fallback: nil))
    }

    @Test func cachePolicyKeepsLongTermKeys() {
        let keys = AWSCredentials(accessKeyID: "A", secretAccessKey: "S")
        var cache = CredentialCache()
        cache.refreshed(keys, at: Date(timeIntervalSince1970: 0))
        #expect(cache.action(now: Date(timeIntervalSince1970: 10_000_000)) == .use(keys))
    }

    // MARK: STS XML and profile files

    @Test func stsResponseParsing() throws {
        // Shape of the AssumeRoleWithWebIdentity example in the STS API reference.
        let xml = """
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
                <Credentials>
                  <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
                  <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY&amp;</SecretAccessKey>
                  <Expiration>2014-10-24T23:00:23Z</Expiration>
                  <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
                </Credentials>
              </AssumeRoleWithWebIdentityResult>
            </AssumeRoleWithWebIdentityResponse>
            """
        let credentials = try #require(STSXML.credentials(in: xml))
        #expect(credentials.accessKeyID == "ASgeIAIOSFODNN7EXAMPLE")
        #expect(credentials.secretAccessKey == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY&")
        #expect(credentials.sessionToken == "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE")
        #expect(credentials.expiration == AWSTimestamp.parseISO8601("2014-10-24T23:00:23Z"))
        #expect(STSXML.credentials(in: "<Credentials><AccessKeyId>A</AccessKeyId></Credentials>") == nil)

        let error = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Token &lt;bad&gt;</Message></Error></ErrorResponse>"
        #expect(STSXML.value(of: "Code", in: error[...]) == "InvalidIdentityToken")
        #expect(STSXML.value(of: "Message", in: error[...]) == "Token <bad>")
    }

    @Test func profileFileParsing() {
        let config = """
            # comment
            [default]
            region = eu-west-1
            [profile writer]
            aws_access_key_id=AKIDWRITER
              ; indented lines are nested settings
              nested = skipped
            aws_secret_access_key = secret = with equals
            s3 =
              max_concurrent_requests = 10
            [sso-session corp]
            sso_region = us-east-1
            """
        let parsed = AWSProfileFile(parsing: config, isConfigFile: true).profiles
        #expect(parsed["default"] == ["region": "eu-west-1"])
        #expect(parsed["writer"] == ["aws_access_key_id": "AKIDWRITER", "aws_secret_access_key": "secret = with equals", "s3": ""])
        #expect(parsed["corp"] == nil && parsed["sso-session corp"] == nil)

        let credentials = "[writer]\r\nAWS_ACCESS_KEY_ID = AKID\r\n"
        #expect(AWSProfileFile(parsing: credentials, isConfigFile: false).profiles["writer"] == ["aws_access_key_id": "AKID"])
    }
}
