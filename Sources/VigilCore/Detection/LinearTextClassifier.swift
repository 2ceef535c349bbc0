import Foundation

/// A TF-IDF and calibrated linear-SVM text classifier, evaluated exactly as scikit-learn's
/// `TfidfVectorizer` and `CalibratedClassifierCV(LinearSVC, method="sigmoid")` do, so a model
/// trained in Python scores the same in Vigil. The built-in one is alt-profanity-check's
/// (see `scripts/detection/export-profanity-model.py`).
///
/// Written here rather than taken from a library: no Swift package evaluates scikit-learn models,
/// and this one is a tokenizer, a dot product and a sigmoid.
public struct LinearTextClassifier: Sendable {
    /// One cross-validation fold: a linear SVM and its sigmoid calibration.
    struct Fold: Sendable {
        var intercept: Double
        var a: Double
        var b: Double
    }

    public let model: String
    public let version: String
    private let vocabulary: [String: Int]
    private let idf: [Double]
    /// Coefficients by term, then fold: `coefficients[term * folds.count + fold]`.
    private let coefficients: [Double]
    private let folds: [Fold]

    public struct Invalid: Error, CustomStringConvertible {
        public var line: Int
        public var detail: String
        public var description: String { "classifier model, line \(line): \(detail)" }
    }

    /// Reads the exported model: `model NAME VERSION`, then `fold INTERCEPT A B` lines, then
    /// `term TERM IDF COEF...` lines with one coefficient per fold; `#` lines are comments.
    public init(exported text: String) throws {
        var name: String?
        var version: String?
        var folds: [Fold] = []
        var vocabulary: [String: Int] = [:]
        var idf: [Double] = []
        var coefficients: [Double] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            number += 1
            if line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch fields.first {
            case "model":
                guard fields.count == 3 else { throw Invalid(line: number, detail: "model line needs a name and a version") }
                name = String(fields[1])
                version = String(fields[2])
            case "fold":
                guard vocabulary.isEmpty else { throw Invalid(line: number, detail: "folds come before terms") }
                guard fields.count == 4, let intercept = Double(fields[1]), let a = Double(fields[2]), let b = Double(fields[3]) else {
                    throw Invalid(line: number, detail: "fold line needs intercept, a and b")
                }
                folds.append(Fold(intercept: intercept, a: a, b: b))
            case "term":
                guard fields.count == 3 + folds.count, !folds.isEmpty else { throw Invalid(line: number, detail: "term line needs idf and one coefficient per fold") }
                let values = fields.dropFirst(2).compactMap { Double($0) }
                guard values.count == 1 + folds.count else { throw Invalid(line: number, detail: "not a number") }
                guard vocabulary.updateValue(idf.count, forKey: String(fields[1])) == nil else { throw Invalid(line: number, detail: "term repeated") }
                idf.append(values[0])
                coefficients.append(contentsOf: values.dropFirst())
            default:
                throw Invalid(line: number, detail: "unknown line")
            }
        }
        guard let name, let version, !vocabulary.isEmpty else { throw Invalid(line: number, detail: "no model line, or no terms") }
        self.model = name
        self.version = version
        self.folds = folds
        self.vocabulary = vocabulary
        self.idf = idf
        self.coefficients = coefficients
    }

    /// The probability, from 0 to 1, that the text belongs to the positive class.
    public func score(_ text: String) -> Double {
        var counts: [Int: Int] = [:]
        for token in Self.tokens(text) {
            if let index = vocabulary[token] { counts[index, default: 0] += 1 }
        }
        // tf-idf, then the l2 norm over the document's terms.
        var weights: [(index: Int, weight: Double)] = counts.map { ($0.key, Double($0.value) * idf[$0.key]) }
        weights.sort { $0.index < $1.index }
        let norm = weights.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
        var total = 0.0
        for (f, fold) in folds.enumerated() {
            var decision = 0.0
            if norm > 0 {
                for (index, weight) in weights { decision += (weight / norm) * coefficients[index * folds.count + f] }
            }
            decision += fold.intercept
            total += 1 / (1 + exp(fold.a * decision + fold.b))
        }
        return total / Double(folds.count)
    }

    /// scikit-learn's default tokens: the text lowercased, then every run of two or more word
    /// characters (`(?u)\b\w\w+\b`), where a word character is what Python's `re` takes for one:
    /// a letter or a number of any script, or `_`, judged one code point at a time.
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if current.count >= 2 { tokens.append(String(current)) }
            current.removeAll(keepingCapacity: true)
        }
        for scalar in pythonLowercased(text).unicodeScalars {
            if isWordCharacter(scalar) { current.append(scalar) } else { flush() }
        }
        flush()
        return tokens
    }

    /// Python's `str.lower()`: each code point's full lowercase mapping, and the final-sigma rule.
    static func pythonLowercased(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            if scalar == "\u{03A3}" {
                result.append(isFinalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}")
                continue
            }
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return String(result)
    }

    /// Σ is final (ς) when a cased letter precedes it and none follows, skipping case-ignorable
    /// code points either way (Unicode's Final_Sigma condition, as CPython applies it).
    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var j = index - 1
        while j >= 0, scalars[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, scalars[j].properties.isCased else { return false }
        var k = index + 1
        while k < scalars.count, scalars[k].properties.isCaseIgnorable { k += 1 }
        return !(k < scalars.count && scalars[k].properties.isCased)
    }

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            // Python also counts code points with a numeric value outside the N categories.
            return scalar.properties.numericType != nil
        }
    }
}
