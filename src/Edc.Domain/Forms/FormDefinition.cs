using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Edc.Domain.Forms.Expressions;

namespace Edc.Domain.Forms;

/// <summary>
/// A form whose definition holds: codes well formed and unique, each item's properties fit its type, ranges ordered and the
/// soft range inside the hard one, code lists where choices need them, every <c>showIf</c> and expression parsed and
/// checked against the items it names, and no item depending on itself through them. Items are kept in the order they
/// are evaluated: an item after every item of the form its <c>showIf</c> or expression names.
/// </summary>
public sealed partial class FormDefinition
{
    public const int MaxItems = 300;
    public const int MaxTextLength = 4000;
    public const int MaxPrecision = 10;

    private FormDefinition(FormSpec spec, IReadOnlyList<ItemSpec> evaluationOrder, IReadOnlyDictionary<string, ValueKind> kinds,
        IReadOnlyDictionary<string, Expression> showIfs, IReadOnlyDictionary<string, Expression> expressions)
    {
        Spec = spec;
        EvaluationOrder = evaluationOrder;
        Kinds = kinds;
        ShowIfs = showIfs;
        Expressions = expressions;
    }

    public FormSpec Spec { get; }

    public string Code => Spec.Code;

    public IReadOnlyList<ItemSpec> Items => Spec.Items;

    public IReadOnlyList<ItemSpec> EvaluationOrder { get; }

    /// <summary>What each item holds; a calculated item, what its expression yields.</summary>
    public IReadOnlyDictionary<string, ValueKind> Kinds { get; }

    public IReadOnlyDictionary<string, Expression> ShowIfs { get; }

    public IReadOnlyDictionary<string, Expression> Expressions { get; }

    public ItemSpec? Item(string code) => Items.FirstOrDefault(i => i.Code == code);

    /// <summary>The items of other forms (<c>DM.SEX</c>) its <c>showIf</c>s and expressions name, each once.</summary>
    public IEnumerable<ItemReference> ReferencesToOtherForms() =>
        ShowIfs.Values.Concat(Expressions.Values)
            .SelectMany(ReferencesIn)
            .Where(r => r.FormCode is { } code && code != Code)
            .DistinctBy(r => r.ToString());

    /// <summary>Checks a form's definition; <paramref name="otherForm"/> gives the trial's other forms an expression may name.</summary>
    public static (FormDefinition? Form, IReadOnlyList<DefinitionProblem> Problems) Define(FormSpec spec, Func<string, FormDefinition?> otherForm)
    {
        var problems = new List<DefinitionProblem>();
        void Problem(string path, string message) => problems.Add(new DefinitionProblem(path, message));

        if (!IsFormCode(spec.Code))
        {
            Problem("code", "A form's code is 1 to 20 capital letters, digits or underscores, starting with a letter.");
        }

        if (string.IsNullOrWhiteSpace(spec.Name) || spec.Name.Length > 200)
        {
            Problem("name", "A form needs a name of 200 characters at most.");
        }

        if (spec.Items is not { Count: > 0 and <= MaxItems })
        {
            Problem("items", $"A form has 1 to {MaxItems} items.");
            return (null, problems);
        }

        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < spec.Items.Count; i++)
        {
            CheckItem(spec.Items[i], $"items[{i}]", codes, Problem);
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        // Expressions are read once; their references decide the order in which the items are evaluated.
        var showIfs = new Dictionary<string, Expression>(StringComparer.Ordinal);
        var expressions = new Dictionary<string, Expression>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Items.Count; i++)
        {
            var item = spec.Items[i];
            Parse(item.ShowIf, $"items[{i}].showIf", showIfs, item.Code, Problem);
            Parse(item.Expression, $"items[{i}].expression", expressions, item.Code, Problem);
        }

        var local = spec.Items.ToDictionary(i => i.Code, StringComparer.Ordinal);
        bool IsLocal(ItemReference reference) => (reference.FormCode is null || reference.FormCode == spec.Code) && local.ContainsKey(reference.ItemCode);
        var dependencies = spec.Items.ToDictionary(
            item => item.Code,
            item => References(item.Code, showIfs, expressions).Where(IsLocal).Select(r => r.ItemCode).Distinct().ToList(),
            StringComparer.Ordinal);
        var order = EvaluationOrderOf(spec.Items, dependencies, out var cycle);
        if (order is null)
        {
            Problem($"items[{IndexOf(spec, cycle![0])}]", $"Items depend on each other in a circle: {string.Join(" → ", cycle)}.");
            return (null, problems);
        }

        var kinds = new Dictionary<string, ValueKind>(StringComparer.Ordinal);
        ValueKind? KindOf(ItemReference reference) => IsLocal(reference)
            ? kinds.TryGetValue(reference.ItemCode, out var kind) ? kind : null
            : reference.FormCode is { } formCode && otherForm(formCode) is { } form && form.Kinds.TryGetValue(reference.ItemCode, out var other) ? other : null;

        foreach (var item in order)
        {
            var path = $"items[{IndexOf(spec, item.Code)}]";
            if (showIfs.TryGetValue(item.Code, out var showIf))
            {
                var (kind, found) = ExpressionTypes.Check(showIf, KindOf);
                found.ToList().ForEach(p => Problem($"{path}.showIf", p));
                if (kind is { } k && k != ValueKind.Boolean)
                {
                    Problem($"{path}.showIf", "A showIf is a condition: it must give yes or no (a comparison, and, or, not, isblank).");
                }
            }

            if (item.Type != ItemType.Calculated)
            {
                kinds[item.Code] = KindOfType(item.Type);
            }
            else if (expressions.TryGetValue(item.Code, out var expression))
            {
                var (kind, found) = ExpressionTypes.Check(expression, KindOf);
                found.ToList().ForEach(p => Problem($"{path}.expression", p));
                if (kind == ValueKind.Codes)
                {
                    Problem($"{path}.expression", "A calculated item cannot be a multiple choice.");
                }
                else if (kind is { } k)
                {
                    kinds[item.Code] = k;
                }
            }
        }

        return problems.Count > 0 ? (null, problems) : (new FormDefinition(spec, order, kinds, showIfs, expressions), problems);
    }

    /// <summary>Whether a text is a form's code: 1 to 20 capital letters, digits or underscores, starting with a letter.</summary>
    public static bool IsFormCode([NotNullWhen(true)] string? code) => code is not null && FormCodePattern().IsMatch(code);

    /// <summary>Whether a text is an item's code: 1 to 32 letters, digits or underscores, starting with a letter, and not a keyword.</summary>
    public static bool IsItemCode([NotNullWhen(true)] string? code) =>
        code is not null && ItemCodePattern().IsMatch(code) && !ExpressionParser.Keywords.Contains(code);

    public static ValueKind KindOfType(ItemType type) => type switch
    {
        ItemType.Integer or ItemType.Decimal => ValueKind.Number,
        ItemType.Date => ValueKind.Date,
        ItemType.DateTime => ValueKind.DateTime,
        ItemType.Boolean => ValueKind.Boolean,
        ItemType.MultiChoice => ValueKind.Codes,
        ItemType.Calculated => throw new ArgumentException("A calculated item's kind is its expression's.", nameof(type)),
        _ => ValueKind.Text,
    };

    private static void CheckItem(ItemSpec item, string path, HashSet<string> codes, Action<string, string> problem)
    {
        if (!IsItemCode(item.Code))
        {
            problem($"{path}.code", "An item's code is 1 to 32 letters, digits or underscores, starting with a letter, and not and, or, not.");
        }
        else if (!codes.Add(item.Code))
        {
            problem($"{path}.code", $"Another item of the form has the code {item.Code}.");
        }

        if (string.IsNullOrWhiteSpace(item.Label) || item.Label.Length > 500)
        {
            problem($"{path}.label", "An item needs a label of 500 characters at most.");
        }

        if (!Enum.IsDefined(item.Type))
        {
            problem($"{path}.type", "Unknown item type.");
            return;
        }

        var isNumber = item.Type is ItemType.Integer or ItemType.Decimal;
        var isChoice = item.Type is ItemType.Choice or ItemType.MultiChoice;
        var isCalculated = item.Type == ItemType.Calculated;
        if (item.MaxLength is { } maxLength && (item.Type != ItemType.Text || maxLength is < 1 or > MaxTextLength))
        {
            problem($"{path}.maxLength", $"maxLength belongs to text items, from 1 to {MaxTextLength}.");
        }

        if (item.Precision is { } precision && (item.Type != ItemType.Decimal || precision is < 0 or > MaxPrecision))
        {
            problem($"{path}.precision", $"precision belongs to decimal items: the decimals kept, from 0 to {MaxPrecision}.");
        }

        if (item.Units is { } units && (units.Length is 0 or > 40 || !(isNumber || isCalculated)))
        {
            problem($"{path}.units", "units belong to number and calculated items, 40 characters at most.");
        }

        CheckRange(item, item.Range, $"{path}.range", isNumber, problem);
        CheckRange(item, item.SoftRange, $"{path}.softRange", isNumber, problem);
        if (item.Range is { } hard && item.SoftRange is { } soft && IsOrdered(hard) && IsOrdered(soft)
            && ((hard.Min is { } hardMin && soft.Min is { } softMin && softMin < hardMin) || (hard.Max is { } hardMax && soft.Max is { } softMax && softMax > hardMax)
                || (soft.Min is null && hard.Min is not null) || (soft.Max is null && hard.Max is not null)))
        {
            problem($"{path}.softRange", $"The soft range must lie inside the range ({hard}): a value it warns of must be one the range accepts.");
        }

        if (isChoice)
        {
            CheckCodeList(item.CodeList, $"{path}.codeList", problem);
        }
        else if (item.CodeList is not null)
        {
            problem($"{path}.codeList", "A code list belongs to choice and multiChoice items.");
        }

        if (isCalculated)
        {
            if (string.IsNullOrWhiteSpace(item.Expression))
            {
                problem($"{path}.expression", "A calculated item needs its expression.");
            }

            if (item.Required)
            {
                problem($"{path}.required", "A calculated item is computed, never entered: it cannot be required.");
            }
        }
        else if (item.Expression is not null)
        {
            problem($"{path}.expression", "Only a calculated item has an expression.");
        }
    }

    private static void CheckRange(ItemSpec item, NumberRange? range, string path, bool isNumber, Action<string, string> problem)
    {
        if (range is null)
        {
            return;
        }

        if (!isNumber)
        {
            problem(path, "Ranges belong to integer and decimal items.");
        }
        else if (range.Min is null && range.Max is null)
        {
            problem(path, "A range needs a min, a max, or both.");
        }
        else if (!IsOrdered(range))
        {
            problem(path, "A range's min cannot be above its max.");
        }
        else if (item.Type == ItemType.Integer && new[] { range.Min, range.Max }.Any(b => b is { } v && v != decimal.Truncate(v)))
        {
            problem(path, "An integer item's range has whole bounds.");
        }
    }

    private static bool IsOrdered(NumberRange range) => range.Min is not { } min || range.Max is not { } max || min <= max;

    private static void CheckCodeList(IReadOnlyList<CodeListEntry>? codeList, string path, Action<string, string> problem)
    {
        if (codeList is not { Count: > 0 })
        {
            problem(path, "A choice needs a code list with one entry at least.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < codeList.Count; i++)
        {
            var entry = codeList[i];
            if (string.IsNullOrWhiteSpace(entry.Code) || entry.Code.Length > 40 || entry.Code.Trim() != entry.Code)
            {
                problem($"{path}[{i}].code", "A code is 1 to 40 characters, without spaces around it.");
            }
            else if (!seen.Add(entry.Code))
            {
                problem($"{path}[{i}].code", $"The code {entry.Code} is listed twice.");
            }

            if (string.IsNullOrWhiteSpace(entry.Label) || entry.Label.Length > 200)
            {
                problem($"{path}[{i}].label", "A code needs a label of 200 characters at most.");
            }
        }
    }

    private static void Parse(string? text, string path, Dictionary<string, Expression> parsed, string itemCode, Action<string, string> problem)
    {
        if (text is null)
        {
            return;
        }

        try
        {
            parsed[itemCode] = ExpressionParser.Parse(text);
        }
        catch (ExpressionException exception)
        {
            problem(path, exception.Message);
        }
    }

    private static IEnumerable<ItemReference> References(string itemCode, Dictionary<string, Expression> showIfs, Dictionary<string, Expression> expressions) =>
        new[] { showIfs.GetValueOrDefault(itemCode), expressions.GetValueOrDefault(itemCode) }.OfType<Expression>().SelectMany(ReferencesIn);

    public static IEnumerable<ItemReference> ReferencesIn(Expression expression) => expression switch
    {
        ItemReference reference => [reference],
        UnaryExpression unary => ReferencesIn(unary.Operand),
        BinaryExpression binary => ReferencesIn(binary.Left).Concat(ReferencesIn(binary.Right)),
        FunctionCall call => call.Arguments.SelectMany(ReferencesIn),
        _ => [],
    };

    // Depth-first topological order; a circle is answered as the codes along it, its first repeated at its end.
    private static List<ItemSpec>? EvaluationOrderOf(IReadOnlyList<ItemSpec> items, Dictionary<string, List<string>> dependencies, out List<string>? cycle)
    {
        var byCode = items.ToDictionary(i => i.Code, StringComparer.Ordinal);
        var order = new List<ItemSpec>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        cycle = null;

        bool Visit(string code)
        {
            if (done.Contains(code))
            {
                return true;
            }

            var at = path.IndexOf(code);
            if (at >= 0)
            {
                path.Add(code);
                return false;
            }

            path.Add(code);
            foreach (var dependency in dependencies[code])
            {
                if (!Visit(dependency))
                {
                    return false;
                }
            }

            path.RemoveAt(path.Count - 1);
            done.Add(code);
            order.Add(byCode[code]);
            return true;
        }

        foreach (var item in items)
        {
            if (!Visit(item.Code))
            {
                var last = path[^1];
                cycle = path[path.IndexOf(last)..];
                return null;
            }
        }

        return order;
    }

    private static int IndexOf(FormSpec spec, string code) => spec.Items.ToList().FindIndex(i => i.Code == code);

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,19}$")]
    private static partial Regex FormCodePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,31}$")]
    private static partial Regex ItemCodePattern();
}
