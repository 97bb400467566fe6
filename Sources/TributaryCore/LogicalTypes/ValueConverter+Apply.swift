extension ValueConverter {
    /// Largest |scale| accepted: guards against a hostile scale building a huge string.
    static let maxScale = 1_000
    /// Day counts beyond ±10^12 (±2.7 billion years) are not dates.
    static let maxDays: Int64 = 1_000_000_000_000

    /// The document form of `value`. JSON `null` stays `null`; a value that is
    /// already in document form (a string where a count was expected) is kept.
    /// `field` names the value in errors.
    public func apply(_ value: JSONValue, options: LogicalTypeOptions, field: String) throws(DecodeError) -> JSONValue {
        if case .null = value { return .null }
        switch self {
        case .decimal(let scale):
            guard case .string(let text) = value else { return value }
            return try decimal(base64: text, scale: scale, options: options, field: field)

        case .variableScaleDecimal:
            guard case .object(let object) = value else { return value }
            guard let scale = object["scale"]?.numberValue?.int64, let text = object["value"]?.stringValue else {
                throw invalid(field, "VariableScaleDecimal needs integer 'scale' and base64 'value', got \(value)")
            }
            return try decimal(base64: text, scale: Int(clamping: scale), options: options, field: field)

        case .date:
            let days = try integer(value, field, "Date")
            guard let days else { return value }
            guard days.magnitude <= Self.maxDays.magnitude else { throw invalid(field, "Date \(days) days is out of range") }
            return .string(TemporalText.date(days: days))

        case .timeOfDay(let unit):
            let count = try integer(value, field, "time of day")
            guard let count else { return value }
            guard count >= 0, count <= 86_400 * unit.perSecond else {
                throw invalid(field, "time of day \(count) is outside 00:00:00...24:00:00")
            }
            return .string(TemporalText.timeOfDay(count, unit: unit))

        case .timestamp(let unit):
            let count = try integer(value, field, "timestamp")
            guard let count else { return value }
            return .string(TemporalText.timestamp(count, unit: unit))

        case .microDuration:
            let count = try integer(value, field, "MicroDuration")
            guard let count else { return value }
            return .string(DurationText.iso8601(microseconds: count))

        case .json:
            guard case .string(let text) = value else { return value }
            do {
                return try JSONParser.parse(text)
            } catch {
                return value
            }

        case .enumSet:
            guard case .string(let text) = value else { return value }
            if text.isEmpty { return .array([]) }
            return .array(text.split(separator: ",", omittingEmptySubsequences: false).map { .string(String($0)) })

        case .bits(let length):
            guard case .string(let text) = value else { return value }
            guard let bytes = Base64.decode(text) else { throw invalid(field, "Bits value '\(text)' is not base64") }
            let fits = length.map { $0 <= 63 } ?? (bytes.count <= 7)
            guard fits, bytes.count <= 8 else { return value }
            var number: UInt64 = 0
            for (index, byte) in bytes.enumerated() { number |= UInt64(byte) << UInt64(8 * index) }
            guard number <= UInt64(Int64.max) else { return value }
            return .number(JSONNumber(number))

        case .geometry:
            guard case .object(let object) = value else { return value }
            // A PostgreSQL POINT struct carries x and y as JSON numbers: reuse their literals.
            if let x = object["x"]?.numberValue, let y = object["y"]?.numberValue {
                return .object(["type": .string("Point"), "coordinates": .array([.number(x), .number(y)])])
            }
            guard let text = object["wkb"]?.stringValue else { return value }
            guard let bytes = Base64.decode(text) else { throw invalid(field, "geometry wkb '\(text)' is not base64") }
            do {
                return try WKBGeoJSON.geoJSON(wkb: bytes)
            } catch {
                throw invalid(field, "geometry wkb is not valid WKB: \(error)")
            }

        case .object(let plan):
            guard case .object(var object) = value else { return value }
            try plan.apply(to: &object, options: options, path: field + ".")
            return .object(object)

        case .array(let element):
            guard case .array(var elements) = value else { return value }
            for index in elements.indices {
                elements[index] = try element.apply(elements[index], options: options, field: field)
            }
            return .array(elements)

        case .mapValues(let element):
            guard case .object(var object) = value else { return value }
            for position in 0..<object.count {
                let member = object.members[position]
                object.setValue(try element.apply(member.value, options: options, field: field + "." + member.key), at: position)
            }
            return .object(object)
        }
    }

    private func decimal(base64 text: String, scale: Int, options: LogicalTypeOptions, field: String) throws(DecodeError) -> JSONValue {
        guard scale.magnitude <= Self.maxScale.magnitude else { throw invalid(field, "decimal scale \(scale) is out of range") }
        guard let bytes = Base64.decode(text) else {
            throw invalid(field, "decimal value '\(text)' is not base64 (is the schema's scale parameter right?)")
        }
        let literal = DecimalText.literal(twosComplement: bytes, scale: scale)
        switch options.decimalFormat {
        case .number: return .number(JSONNumber(unchecked: literal))
        case .string: return .string(literal)
        }
    }

    /// The integer in `value`; `nil` when the value is a string (already
    /// formatted upstream, e.g. by a custom converter); throws otherwise.
    private func integer(_ value: JSONValue, _ field: String, _ type: String) throws(DecodeError) -> Int64? {
        switch value {
        case .number(let number):
            guard let integer = number.int64 else { throw invalid(field, "\(type) value \(number) is not a 64-bit integer") }
            return integer
        case .string:
            return nil
        default:
            throw invalid(field, "\(type) value is a JSON \(value.kindName), expected an integer")
        }
    }

    private func invalid(_ field: String, _ message: String) -> DecodeError {
        DecodeError(.invalidLogicalValue, "field '\(field)': \(message)")
    }
}
