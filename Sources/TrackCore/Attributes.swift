@_exported import OrderedCollections

/// A position's free-form attributes in arrival order; a repeated key keeps its first place and last value.
public typealias Attributes = OrderedDictionary<String, AttributeValue>

extension OrderedDictionary where Key == String, Value == AttributeValue {
    /// The attributes as a JSON object, the text stored in `tc_positions.attributes`.
    public var jsonText: String {
        JSONText.object(map { ($0.key, $0.value.jsonText) })
    }
}
