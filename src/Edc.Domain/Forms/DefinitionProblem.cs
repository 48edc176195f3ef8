namespace Edc.Domain.Forms;

/// <summary>What is wrong with a form's definition, at a path of its JSON (<c>items[2].softRange</c>).</summary>
public sealed record DefinitionProblem(string Path, string Message);
