import Foundation
import Testing
import TributaryOpenSearch

/// The signer against the published AWS Signature Version 4 test suite
/// (aws-sig-v4-test-suite; access key AKIDEXAMPLE, region us-east-1, service
/// "service", signed at 20150830T123600Z).
///
/// Sources of the expected values, copied verbatim, never computed here:
/// - `suiteVectors`: awslabs/aws-c-auth, tests/aws-signing-test-suite/v4/<name>/
///   (request.txt, context.json, header-canonical-request.txt,
///   header-string-to-sign.txt, header-signature.txt) at commit
///   495329c2433034bd8fd53fc6ba9e0202d3fac876. `signsBody` is the vector's
///   `sign_body` (adds and signs `x-amz-content-sha256`).
/// - `authorizationVectors`: the original 2015 suite's variants in
///   aws/aws-sdk-js-v3, packages/signature-v4/src/suite.fixture.ts at commit
///   0574f9a135c97b2cd989a2fb6f3e9effdc236696 (Authorization header only).
@Suite struct AWSSigV4SignerTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let signer = AWSSigV4Signer(region: "us-east-1", service: "service")
    /// 2015-08-30T12:36:00Z
    static let date = Date(timeIntervalSince1970: 1_440_938_160)

    struct SuiteVector: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var path: String
        var query: String
        var headers: [(String, String)]
        var body: String
        var signsBody: Bool
        var sessionToken: String?
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
        var testDescription: String { name }
    }

    static let suiteVectors: [SuiteVector] = [
        SuiteVector(
            name: "get-vanilla", method: "GET", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"#,
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteVector(
            name: "get-vanilla-query-order-key-case", method: "GET", path: #"/"#, query: #"Param2=value2&Param1=value1"#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#nParam1=value1&Param2=value2\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0"#,
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        SuiteVector(
            name: "get-vanilla-query-unreserved", method: "GET", path: #"/"#, query: #"-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#nc30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177"#,
            signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        SuiteVector(
            name: "get-vanilla-query-order-encoded", method: "GET", path: #"/"#, query: #"Param-3=Value3&Param=Value2&%E1%88%B4=Value1"#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n%E1%88%B4=Value1&Param=Value2&Param-3=Value3\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71"#,
            signature: "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"),
        SuiteVector(
            name: "get-vanilla-utf8-query", method: "GET", path: #"/"#, query: #"ሴ=bar"#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n%E1%88%B4=bar\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#neb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073"#,
            signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        SuiteVector(
            name: "get-vanilla-empty-query-key", method: "GET", path: #"/"#, query: #"Param1=value1"#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#nParam1=value1\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab"#,
            signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        SuiteVector(
            name: "get-utf8", method: "GET", path: #"/ሴ"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/%E1%88%B4\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102"#,
            signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        SuiteVector(
            name: "get-space-unnormalized", method: "GET", path: #"/example space/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/example%20space/\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86"#,
            signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        SuiteVector(
            name: "get-unreserved", method: "GET", path: #"/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9"#,
            signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        SuiteVector(
            name: "get-relative-relative-normalized", method: "GET", path: #"/example1/example2/../.."#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"#,
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteVector(
            name: "get-slash-dot-slash-normalized", method: "GET", path: #"/./"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"#,
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteVector(
            name: "get-slash-pointless-dot-normalized", method: "GET", path: #"/./example"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/example\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702"#,
            signature: "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"),
        SuiteVector(
            name: "get-slashes-unnormalized", method: "GET", path: #"//example//"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n//example//\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n528ec3105ee1f34ab014bb0a1a45da0ed2742a4fea3555149e5b4d5d201eb240"#,
            signature: "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5"),
        SuiteVector(
            name: "get-header-value-trim", method: "GET", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#), (#"My-Header1"#, #" value1"#), (#"My-Header2"#, #" "a   b   c""#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n\#nhost:example.amazonaws.com\#nmy-header1:value1\#nmy-header2:"a b c"\#nx-amz-date:20150830T123600Z\#n\#nhost;my-header1;my-header2;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#na726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7"#,
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        SuiteVector(
            name: "get-header-key-duplicate", method: "GET", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#), (#"My-Header1"#, #"value2"#), (#"My-Header1"#, #"value2"#), (#"My-Header1"#, #"value1"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n\#nhost:example.amazonaws.com\#nmy-header1:value2,value2,value1\#nx-amz-date:20150830T123600Z\#n\#nhost;my-header1;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#ndc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c"#,
            signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        SuiteVector(
            name: "get-header-value-order", method: "GET", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#), (#"My-Header1"#, #"value4"#), (#"My-Header1"#, #"value1"#), (#"My-Header1"#, #"value3"#), (#"My-Header1"#, #"value2"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"GET\#n/\#n\#nhost:example.amazonaws.com\#nmy-header1:value4,value1,value3,value2\#nx-amz-date:20150830T123600Z\#n\#nhost;my-header1;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86"#,
            signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        SuiteVector(
            name: "post-vanilla", method: "POST", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"POST\#n/\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87"#,
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        SuiteVector(
            name: "post-vanilla-query", method: "POST", path: #"/"#, query: #"Param1=value1"#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"POST\#n/\#nParam1=value1\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#n\#nhost;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd"#,
            signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        SuiteVector(
            name: "post-header-key-sort", method: "POST", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#), (#"My-Header1"#, #"value1"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"POST\#n/\#n\#nhost:example.amazonaws.com\#nmy-header1:value1\#nx-amz-date:20150830T123600Z\#n\#nhost;my-header1;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65"#,
            signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        SuiteVector(
            name: "post-header-value-case", method: "POST", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#), (#"My-Header1"#, #"VALUE1"#)],
            body: #""#, signsBody: false, sessionToken: nil,
            canonicalRequest: #"POST\#n/\#n\#nhost:example.amazonaws.com\#nmy-header1:VALUE1\#nx-amz-date:20150830T123600Z\#n\#nhost;my-header1;x-amz-date\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#nd51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93"#,
            signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        SuiteVector(
            name: "post-x-www-form-urlencoded", method: "POST", path: #"/"#, query: #""#,
            headers: [(#"Content-Type"#, #"application/x-www-form-urlencoded"#), (#"Host"#, #"example.amazonaws.com"#), (#"Content-Length"#, #"13"#)],
            body: #"Param1=value1"#, signsBody: true, sessionToken: nil,
            canonicalRequest: #"POST\#n/\#n\#ncontent-length:13\#ncontent-type:application/x-www-form-urlencoded\#nhost:example.amazonaws.com\#nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\#nx-amz-date:20150830T123600Z\#n\#ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\#n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#nb1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb"#,
            signature: "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"),
        SuiteVector(
            name: "post-x-www-form-urlencoded-parameters", method: "POST", path: #"/"#, query: #""#,
            headers: [(#"Content-Type"#, #"application/x-www-form-urlencoded; charset=utf-8"#), (#"Host"#, #"example.amazonaws.com"#), (#"Content-Length"#, #"13"#)],
            body: #"Param1=value1"#, signsBody: true, sessionToken: nil,
            canonicalRequest: #"POST\#n/\#n\#ncontent-length:13\#ncontent-type:application/x-www-form-urlencoded; charset=utf-8\#nhost:example.amazonaws.com\#nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\#nx-amz-date:20150830T123600Z\#n\#ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\#n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#na89f1a5b53e37702ee6363ce1da3ce8f54386f3c8f352ae652153c2982a0bc4d"#,
            signature: "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422"),
        SuiteVector(
            name: "post-sts-header-before", method: "POST", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: #"AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="#,
            canonicalRequest: #"POST\#n/\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#nx-amz-security-token:AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==\#n\#nhost;x-amz-date;x-amz-security-token\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#nc237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6"#,
            signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"),
        SuiteVector(
            name: "get-vanilla-with-session-token", method: "GET", path: #"/"#, query: #""#,
            headers: [(#"Host"#, #"example.amazonaws.com"#)],
            body: #""#, signsBody: false, sessionToken: #"6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"#,
            canonicalRequest: #"GET\#n/\#n\#nhost:example.amazonaws.com\#nx-amz-date:20150830T123600Z\#nx-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\#n\#nhost;x-amz-date;x-amz-security-token\#ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"#,
            stringToSign: #"AWS4-HMAC-SHA256\#n20150830T123600Z\#n20150830/us-east-1/service/aws4_request\#n067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b"#,
            signature: "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"),
    ]

    @Test(arguments: suiteVectors)
    func publishedSuiteVector(_ vector: SuiteVector) {
        var credentials = Self.credentials
        credentials.sessionToken = vector.sessionToken
        let request = AWSSigV4Request(
            method: vector.method, path: vector.path, query: vector.query,
            headers: vector.headers.map { (name: $0.0, value: $0.1) }, body: Array(vector.body.utf8),
            sendsContentHash: vector.signsBody)
        let signed = Self.signer.sign(request, credentials: credentials, date: Self.date)
        #expect(signed.canonicalRequest == vector.canonicalRequest)
        #expect(signed.stringToSign == vector.stringToSign)
        #expect(signed.signature == vector.signature)

        let headers = Dictionary(uniqueKeysWithValues: signed.headers.map { ($0.name, $0.value) })
        #expect(headers["X-Amz-Date"] == "20150830T123600Z")
        #expect(headers["X-Amz-Security-Token"] == vector.sessionToken)
        #expect(headers["X-Amz-Content-Sha256"] == (vector.signsBody ? request.payloadHash : nil))
        let signedNames = vector.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false).dropLast().last
        #expect(
            headers["Authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=\(signedNames ?? ""), Signature=\(vector.signature)")
    }

    struct AuthorizationVector: Sendable, CustomTestStringConvertible {
        var name: String
        var query: String
        var headers: [(String, String)]
        var body: String
        var authorization: String
        var testDescription: String { name }
    }

    /// POST / to example.amazonaws.com; queries given in their encoded wire form.
    static let authorizationVectors: [AuthorizationVector] = [
        AuthorizationVector(
            name: "post-x-www-form-urlencoded", query: "",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com")],
            body: "Param1=value1",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        ),
        AuthorizationVector(
            name: "post-x-www-form-urlencoded-parameters", query: "",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded; charset=utf8"), ("Host", "example.amazonaws.com"),
            ],
            body: "Param1=value1",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"
        ),
        AuthorizationVector(
            // Query {"@#$%^": "", "+": "/,?><`\";:\\|][{}"}: decoded, re-encoded and sorted.
            name: "post-vanilla-query-nonunreserved",
            query: "%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D",
            headers: [("Host", "example.amazonaws.com")], body: "",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e"
        ),
        AuthorizationVector(
            // Query {p: ""}, here without the `=`.
            name: "post-vanilla-query-space", query: "p",
            headers: [("Host", "example.amazonaws.com")], body: "",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=e71688addb58a26418614085fb730ba3faa623b461c17f48f2fbdb9361b94a9b"
        ),
    ]

    @Test(arguments: authorizationVectors)
    func originalSuiteAuthorization(_ vector: AuthorizationVector) {
        let request = AWSSigV4Request(
            method: "POST", path: "/", query: vector.query, headers: vector.headers.map { (name: $0.0, value: $0.1) },
            body: Array(vector.body.utf8), sendsContentHash: false)
        let signed = Self.signer.sign(request, credentials: Self.credentials, date: Self.date)
        #expect(signed.headers.last?.name == "Authorization")
        #expect(signed.headers.last?.value == vector.authorization)
    }

    @Test func payloadHashIsLowercaseHexSHA256() {
        // Both from the suite: the empty body, and post-x-www-form-urlencoded's body.
        #expect(AWSSigV4Signer.hexSHA256([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            AWSSigV4Signer.hexSHA256(Array("Param1=value1".utf8))
                == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
    }

    @Test func headersTheSignerOwnsAreNotTakenFromTheRequest() {
        let plain = AWSSigV4Request(
            method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [], sendsContentHash: false)
        var crafted = plain
        crafted.headers += [("X-Amz-Date", "19990101T000000Z"), ("Authorization", "Basic x")]
        let expected = Self.signer.sign(plain, credentials: Self.credentials, date: Self.date)
        let signed = Self.signer.sign(crafted, credentials: Self.credentials, date: Self.date)
        #expect(signed.signature == expected.signature)
        #expect(signed.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func descriptionHidesTheSessionToken() {
        var credentials = Self.credentials
        credentials.sessionToken = "session-token-value"
        let signed = Self.signer.sign(
            AWSSigV4Request(method: "GET", path: "/", headers: [("Host", "h")], body: []),
            credentials: credentials, date: Self.date)
        #expect(!"\(signed)".contains("session-token-value"))
    }
}
