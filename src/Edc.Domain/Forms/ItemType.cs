using System.Diagnostics.CodeAnalysis;

namespace Edc.Domain.Forms;

[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The item types as the API contract names them.")]
public enum ItemType
{
    Text,
    Integer,
    Decimal,
    Date,
    DateTime,
    Boolean,
    Choice,
    MultiChoice,
    Calculated,
}
