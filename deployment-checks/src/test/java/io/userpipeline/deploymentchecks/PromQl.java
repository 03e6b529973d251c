package io.userpipeline.deploymentchecks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Enough of a PromQL parser to trust the metric names it extracts: it follows the grammar of selectors,
 * functions, aggregations, binary operators with their modifiers, ranges, subqueries and offsets, and
 * checks the value types functions need (a range vector for rate(), an instant vector for sum()...), so a
 * typo, an unbalanced bracket or a missing range fails here instead of as an empty panel or a silent alert.
 * Precedence does not matter for either purpose and is not modelled.
 */
final class PromQl {

    enum Type { SCALAR, STRING, INSTANT, RANGE }

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

    /** Functions whose first argument is a range vector. */
    private static final Set<String> RANGE_FUNCTIONS = Set.of("rate", "irate", "increase", "delta", "idelta",
            "deriv", "changes", "resets", "predict_linear", "holt_winters", "double_exponential_smoothing",
            "absent_over_time", "present_over_time", "avg_over_time", "min_over_time", "max_over_time",
            "sum_over_time", "count_over_time", "quantile_over_time", "stddev_over_time", "stdvar_over_time",
            "last_over_time", "first_over_time", "mad_over_time");

    /** Functions taking instant vectors or scalars; the value is the type of their result. */
    private static final Map<String, Type> INSTANT_FUNCTIONS = Map.ofEntries(
            Map.entry("abs", Type.INSTANT), Map.entry("absent", Type.INSTANT), Map.entry("ceil", Type.INSTANT),
            Map.entry("clamp", Type.INSTANT), Map.entry("clamp_max", Type.INSTANT), Map.entry("clamp_min", Type.INSTANT),
            Map.entry("day_of_month", Type.INSTANT), Map.entry("day_of_week", Type.INSTANT),
            Map.entry("day_of_year", Type.INSTANT), Map.entry("days_in_month", Type.INSTANT),
            Map.entry("exp", Type.INSTANT), Map.entry("floor", Type.INSTANT),
            Map.entry("histogram_avg", Type.INSTANT), Map.entry("histogram_count", Type.INSTANT),
            Map.entry("histogram_sum", Type.INSTANT), Map.entry("histogram_fraction", Type.INSTANT),
            Map.entry("histogram_quantile", Type.INSTANT), Map.entry("histogram_stddev", Type.INSTANT),
            Map.entry("histogram_stdvar", Type.INSTANT), Map.entry("hour", Type.INSTANT),
            Map.entry("label_join", Type.INSTANT), Map.entry("label_replace", Type.INSTANT), Map.entry("ln", Type.INSTANT),
            Map.entry("log2", Type.INSTANT), Map.entry("log10", Type.INSTANT), Map.entry("minute", Type.INSTANT),
            Map.entry("month", Type.INSTANT), Map.entry("round", Type.INSTANT), Map.entry("scalar", Type.SCALAR),
            Map.entry("sgn", Type.INSTANT), Map.entry("sort", Type.INSTANT), Map.entry("sort_desc", Type.INSTANT),
            Map.entry("sort_by_label", Type.INSTANT), Map.entry("sort_by_label_desc", Type.INSTANT),
            Map.entry("sqrt", Type.INSTANT), Map.entry("time", Type.SCALAR), Map.entry("timestamp", Type.INSTANT),
            Map.entry("vector", Type.INSTANT), Map.entry("year", Type.INSTANT));

    private static final Set<String> BINARY_KEYWORDS = Set.of("and", "or", "unless", "atan2");
    private static final Set<String> BINARY_SYMBOLS = Set.of("+", "-", "*", "/", "%", "^", "==", "!=", "<=", ">=", "<", ">");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "atan2");
    private static final Set<String> MATCH_OPERATORS = Set.of("=", "!=", "=~", "!~");

    private enum Kind { IDENT, NUMBER, DURATION, STRING, SYMBOL, END }

    private record Token(Kind kind, String text, int position) {
    }

    /** A label matcher of a selector: {@code topic=~"a|b"} is label topic, operator =~, value a|b. */
    record LabelMatcher(String label, String operator, String value) {
    }

    /** A vector selector: the metric it selects and its label matchers (the metric name's own matcher left out). */
    record Selector(String metric, List<LabelMatcher> matchers) {
    }

    private final String source;
    private final List<Token> tokens;
    private final Set<String> metrics = new TreeSet<>();
    private final List<Selector> selectors = new ArrayList<>();
    private int next;

    private PromQl(String source) {
        this.source = source;
        this.tokens = tokenize(source);
    }

    /**
     * @return the metric names the expression selects
     * @throws IllegalArgumentException naming the position and the problem when the expression is not valid PromQL
     */
    static Set<String> metricNames(String expression) {
        return parse(expression).metrics;
    }

    /**
     * @return the vector selectors of the expression, in order, each with its label matchers
     * @throws IllegalArgumentException as {@link #metricNames(String)}
     */
    static List<Selector> selectors(String expression) {
        return parse(expression).selectors;
    }

    private static PromQl parse(String expression) {
        PromQl parser = new PromQl(expression);
        Type type = parser.expression();
        parser.expect(Kind.END, "end of expression");
        if (type == Type.RANGE || type == Type.STRING) {
            throw new IllegalArgumentException("'" + expression + "': the result is a " + type.name().toLowerCase()
                    + ", neither an instant vector nor a scalar");
        }
        return parser;
    }

    // ---------------------------------------------------------------- grammar

    private Type expression() {
        Type left = unary();
        while (isBinaryOperator(peek())) {
            String operator = take().text();
            if (peekIs("bool")) {
                take();
            }
            if (peekIs("on") || peekIs("ignoring")) {
                take();
                labelList();
                if (peekIs("group_left") || peekIs("group_right")) {
                    take();
                    if (peekIs("(")) {
                        labelList();
                    }
                }
            }
            Type right = unary();
            for (Type operand : List.of(left, right)) {
                if (operand == Type.RANGE || operand == Type.STRING) {
                    throw error("operator '" + operator + "' applied to a " + operand.name().toLowerCase());
                }
            }
            left = left == Type.INSTANT || right == Type.INSTANT ? Type.INSTANT : Type.SCALAR;
        }
        return left;
    }

    private Type unary() {
        if (peekIs("-") || peekIs("+")) {
            take();
            return unary();
        }
        Token first = peek();
        Type type = primary();
        return postfix(type, type == Type.INSTANT && isSelector(first));
    }

    /** Whether the primary starting at this token is a vector selector: a name not called, or {...}. */
    private boolean isSelector(Token first) {
        if (first.text().equals("{")) {
            return first.kind() == Kind.SYMBOL;
        }
        int index = tokens.indexOf(first);
        return first.kind() == Kind.IDENT && !AGGREGATIONS.contains(first.text())
                && !tokens.get(index + 1).text().equals("(");
    }

    private Type postfix(Type type, boolean selector) {
        while (true) {
            if (peekIs("[")) {
                Token open = take();
                expect(Kind.DURATION, "a duration");
                boolean subquery = peekIs(":");
                if (subquery) {
                    take();
                    if (peek().kind() == Kind.DURATION) {
                        take();
                    }
                }
                expect("]");
                if (type != Type.INSTANT || (!subquery && !selector)) {
                    throw new IllegalArgumentException(at(open) + ": a range applies to a vector selector, a subquery to an instant vector");
                }
                type = Type.RANGE;
                selector = false;
            } else if (peekIs("offset")) {
                take();
                if (peekIs("-")) {
                    take();
                }
                expect(Kind.DURATION, "a duration after offset");
            } else if (peekIs("@")) {
                take();
                if (peek().kind() == Kind.NUMBER) {
                    take();
                } else {
                    Token modifier = expect(Kind.IDENT, "a timestamp, start() or end() after @");
                    if (!Set.of("start", "end").contains(modifier.text())) {
                        throw new IllegalArgumentException(at(modifier) + ": @ takes a timestamp, start() or end()");
                    }
                    expect("(");
                    expect(")");
                }
            } else {
                return type;
            }
        }
    }

    private Type primary() {
        Token token = peek();
        switch (token.kind()) {
            case NUMBER -> {
                take();
                return Type.SCALAR;
            }
            case STRING -> {
                take();
                return Type.STRING;
            }
            case IDENT -> {
                return identifier();
            }
            case SYMBOL -> {
                if (token.text().equals("(")) {
                    take();
                    Type inner = expression();
                    expect(")");
                    return inner;
                }
                if (token.text().equals("{")) {
                    List<LabelMatcher> matchers = matchers();
                    String name = metricName(matchers);
                    if (name == null) {
                        throw new IllegalArgumentException(at(token) + ": a selector without a metric name");
                    }
                    metrics.add(name);
                    selectors.add(new Selector(name, matchers.stream().filter(m -> !m.label().equals("__name__")).toList()));
                    return Type.INSTANT;
                }
            }
            default -> {
            }
        }
        throw error("unexpected " + describe(token));
    }

    private Type identifier() {
        Token name = take();
        String text = name.text();
        if (AGGREGATIONS.contains(text)) {
            boolean grouped = grouping();
            expect("(");
            List<Type> arguments = arguments();
            if (!grouped) {
                grouping();
            }
            boolean parameter = Set.of("count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio").contains(text);
            if (arguments.size() != (parameter ? 2 : 1) || arguments.getLast() != Type.INSTANT) {
                throw new IllegalArgumentException(at(name) + ": " + text + " aggregates one instant vector"
                        + (parameter ? " after its parameter" : "") + ", got " + arguments);
            }
            return Type.INSTANT;
        }
        if (peekIs("(")) {
            if (RANGE_FUNCTIONS.contains(text)) {
                take();
                List<Type> arguments = arguments();
                int rangeArgument = text.equals("quantile_over_time") ? 1 : 0;
                if (arguments.size() <= rangeArgument || arguments.get(rangeArgument) != Type.RANGE) {
                    throw new IllegalArgumentException(at(name) + ": " + text + "() needs a range vector such as"
                            + " metric[5m], got " + arguments);
                }
                return Type.INSTANT;
            }
            Type result = INSTANT_FUNCTIONS.get(text);
            if (result == null) {
                throw new IllegalArgumentException(at(name) + ": unknown function " + text + "()");
            }
            take();
            List<Type> arguments = arguments();
            if (arguments.contains(Type.RANGE)) {
                throw new IllegalArgumentException(at(name) + ": " + text + "() takes no range vector, got " + arguments);
            }
            if (text.equals("histogram_quantile") && !arguments.equals(List.of(Type.SCALAR, Type.INSTANT))) {
                throw new IllegalArgumentException(at(name) + ": histogram_quantile(φ, buckets) needs a scalar and an"
                        + " instant vector, got " + arguments);
            }
            return result;
        }
        if (KEYWORDS.contains(text)) {
            throw new IllegalArgumentException(at(name) + ": keyword '" + text + "' where an expression belongs");
        }
        if (text.equals("Inf") || text.equals("NaN")) {
            return Type.SCALAR;
        }
        metrics.add(text);
        List<LabelMatcher> matchers = List.of();
        if (peekIs("{")) {
            matchers = matchers();
            if (metricName(matchers) != null) {
                throw new IllegalArgumentException(at(name) + ": metric name given twice");
            }
        }
        selectors.add(new Selector(text, matchers));
        return Type.INSTANT;
    }

    /** by/without (labels) of an aggregation; @return whether there was one */
    private boolean grouping() {
        if (peekIs("by") || peekIs("without")) {
            take();
            labelList();
            return true;
        }
        return false;
    }

    private List<Type> arguments() {
        List<Type> types = new ArrayList<>();
        if (!peekIs(")")) {
            types.add(expression());
            while (peekIs(",")) {
                take();
                types.add(expression());
            }
        }
        expect(")");
        return types;
    }

    private void labelList() {
        expect("(");
        while (!peekIs(")")) {
            expect(Kind.IDENT, "a label name");
            if (!peekIs(",")) {
                break;
            }
            take();
        }
        expect(")");
    }

    /** {label op "value", ...} */
    private List<LabelMatcher> matchers() {
        expect("{");
        List<LabelMatcher> matchers = new ArrayList<>();
        while (!peekIs("}")) {
            Token label = peek().kind() == Kind.STRING ? take() : expect(Kind.IDENT, "a label name");
            Token operator = take();
            if (operator.kind() != Kind.SYMBOL || !MATCH_OPERATORS.contains(operator.text())) {
                throw new IllegalArgumentException(at(operator) + ": expected =, !=, =~ or !~ after label "
                        + label.text() + ", found " + describe(operator));
            }
            Token value = expect(Kind.STRING, "a quoted label value");
            String labelName = label.kind() == Kind.STRING ? unquote(label.text()) : label.text();
            matchers.add(new LabelMatcher(labelName, operator.text(), unquote(value.text())));
            if (!peekIs(",")) {
                break;
            }
            take();
        }
        expect("}");
        return matchers;
    }

    /** The metric name a __name__="..." matcher gives, if any. */
    private static String metricName(List<LabelMatcher> matchers) {
        return matchers.stream().filter(m -> m.label().equals("__name__") && m.operator().equals("="))
                .map(LabelMatcher::value).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- tokens

    private static List<Token> tokenize(String source) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || (c == ':' && i + 1 < source.length()
                    && (Character.isLetter(source.charAt(i + 1)) || source.charAt(i + 1) == '_'))) {
                // A leading ':' belongs to a name (recording rules' level:metric:operation); before a
                // duration or ']' it is a subquery's step separator.

                int start = i;
                while (i < source.length() && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_'
                        || source.charAt(i) == ':')) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, source.substring(start, i), start));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < source.length() && Character.isDigit(source.charAt(i + 1)))) {
                int start = i;
                while (i < source.length() && (Character.isDigit(source.charAt(i)) || source.charAt(i) == '.')) {
                    i++;
                }
                if (i < source.length() && "smhdwy".indexOf(source.charAt(i)) >= 0) {
                    // 5m, 1h30m, 500ms: a duration is digits and units, repeated
                    while (i < source.length() && (Character.isDigit(source.charAt(i)) || "smhdwy".indexOf(source.charAt(i)) >= 0)) {
                        i++;
                    }
                    String text = source.substring(start, i);
                    if (!text.matches("([0-9]+(ms|[smhdwy]))+")) {
                        throw new IllegalArgumentException(position(source, start) + ": not a duration: " + text);
                    }
                    tokens.add(new Token(Kind.DURATION, text, start));
                } else {
                    if (i < source.length() && (source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
                        i++;
                        if (i < source.length() && (source.charAt(i) == '+' || source.charAt(i) == '-')) {
                            i++;
                        }
                        while (i < source.length() && Character.isDigit(source.charAt(i))) {
                            i++;
                        }
                    }
                    String text = source.substring(start, i);
                    if (!text.matches("[0-9]*\\.?[0-9]+([eE][+-]?[0-9]+)?|[0-9]+\\.")) {
                        throw new IllegalArgumentException(position(source, start) + ": not a number: " + text);
                    }
                    if (i < source.length() && (Character.isLetter(source.charAt(i)) || source.charAt(i) == '_')) {
                        throw new IllegalArgumentException(position(source, start) + ": a number runs into a name: "
                                + source.substring(start, Math.min(source.length(), i + 10)));
                    }
                    tokens.add(new Token(Kind.NUMBER, text, start));
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                int start = i++;
                while (i < source.length() && source.charAt(i) != c) {
                    i += source.charAt(i) == '\\' && c != '`' ? 2 : 1;
                }
                if (i >= source.length()) {
                    throw new IllegalArgumentException(position(source, start) + ": unterminated string");
                }
                i++;
                tokens.add(new Token(Kind.STRING, source.substring(start, i), start));
            } else {
                String two = i + 1 < source.length() ? source.substring(i, i + 2) : "";
                if (Set.of("==", "!=", "<=", ">=", "=~", "!~").contains(two)) {
                    tokens.add(new Token(Kind.SYMBOL, two, i));
                    i += 2;
                } else if ("(){}[],:@+-*/%^<>=".indexOf(c) >= 0) {
                    tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw new IllegalArgumentException(position(source, i) + ": unexpected character '" + c + "'");
                }
            }
        }
        tokens.add(new Token(Kind.END, "", source.length()));
        return tokens;
    }

    private boolean isBinaryOperator(Token token) {
        return (token.kind() == Kind.SYMBOL && BINARY_SYMBOLS.contains(token.text()))
                || (token.kind() == Kind.IDENT && BINARY_KEYWORDS.contains(token.text()));
    }

    private Token peek() {
        return tokens.get(next);
    }

    private boolean peekIs(String text) {
        Token token = peek();
        return token.kind() != Kind.STRING && token.text().equals(text);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private Token expect(String symbol) {
        if (!peekIs(symbol)) {
            throw error("expected '" + symbol + "', found " + describe(peek()));
        }
        return take();
    }

    private Token expect(Kind kind, String what) {
        if (peek().kind() != kind) {
            throw error("expected " + what + ", found " + describe(peek()));
        }
        return take();
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(at(peek()) + ": " + message);
    }

    private String at(Token token) {
        return position(source, token.position());
    }

    private static String position(String source, int offset) {
        return "'" + source + "' at " + offset;
    }

    private static String describe(Token token) {
        return token.kind() == Kind.END ? "the end" : "'" + token.text() + "'";
    }

    private static String unquote(String literal) {
        return literal.substring(1, literal.length() - 1);
    }
}
