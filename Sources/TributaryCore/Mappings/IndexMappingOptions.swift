/// Whether the worker creates indexes with mappings derived from the
/// Debezium schema (`index.mappings`, `decimal.mapping`).
public struct IndexMappingOptions: Sendable, Hashable {
    /// `index.mappings`.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Leave index creation to OpenSearch (dynamic mapping on the first write), the default.
        case none
        /// Before the first write to an index in this process, `PUT /<index>`
        /// with the mappings `IndexMappingBuilder` derives from the record's
        /// schema; an index that already exists is never touched.
        case derived
    }

    /// `decimal.mapping`: the field type of `Decimal` and `VariableScaleDecimal` columns.
    public enum DecimalMapping: String, Sendable, Hashable, CaseIterable {
        /// `scaled_float` with `scaling_factor` 10^scale, capped so the scaled
        /// value fits a long (the default). `VariableScaleDecimal`, which has no
        /// fixed scale, and decimals with more than 18 integer digits get `double`.
        case scaledFloat = "scaled_float"
        /// `double`: about 16 significant digits in the index.
        case double
        /// `keyword`: exact, but ranges compare as text; pair it with `decimal.format=string`.
        case keyword
    }

    public var mode: Mode
    public var decimal: DecimalMapping

    public init(mode: Mode = .none, decimal: DecimalMapping = .scaledFloat) {
        self.mode = mode
        self.decimal = decimal
    }
}
