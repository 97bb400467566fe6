extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value (as `JSONWriter` writes it).
    public var description: String {
        String(decoding: JSONWriter.encode(self), as: UTF8.self)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of the object (as `JSONWriter` writes it).
    public var description: String {
        JSONValue.object(self).description
    }
}
