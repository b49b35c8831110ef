using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace PortTools.Formatting
{
    /// <summary>
    /// What a view reads of an object: a property of a live model, or of its deserialized form (a job, a remote session,
    /// Import-Clixml), where only properties survive, as a PSObject's. The view texts are made from these alone, so
    /// they read the same either way, and the format file only calls them.
    /// </summary>
    internal static class ViewProperty
    {
        internal static object? Get(object? value, string name) => value switch
        {
            null => null,
            PSObject shell => shell.Properties[name]?.Value,
            _ => value.GetType().GetProperty(name)?.GetValue(value),
        };

        /// <summary>
        /// The property as text: an enum by its name, live or deserialized (a deserialized enum is a PSObject whose
        /// ToString is the name); empty when it is missing or empty.
        /// </summary>
        internal static string Text(object? value, string name) => Get(value, name)?.ToString() ?? "";

        /// <summary>A number property; null when it is missing or empty.</summary>
        internal static long? Number(object? value, string name) => AsNumber(Get(value, name));

        /// <summary>A number, live or deserialized; null when it is none.</summary>
        internal static long? AsNumber(object? value) =>
            Unwrap(value) is IConvertible number and not string ? number.ToInt64(CultureInfo.InvariantCulture) : (long?)null;

        /// <summary>A real number, live or deserialized; 0 when it is none.</summary>
        internal static double AsDouble(object? value) =>
            Unwrap(value) is IConvertible number and not string ? number.ToDouble(CultureInfo.InvariantCulture) : 0;

        /// <summary>The items of a list property; none when it is missing.</summary>
        internal static object[] Items(object? value, string name) =>
            Unwrap(Get(value, name)) is IEnumerable items and not string ? items.Cast<object>().ToArray() : new object[0];

        /// <summary>A dictionary property (a deserialized one is a Hashtable); null when it is missing.</summary>
        internal static IDictionary? Dictionary(object? value, string name) => Unwrap(Get(value, name)) as IDictionary;

        // Deserialized lists, dictionaries and numbers may come wrapped in a PSObject.
        private static object? Unwrap(object? value) => value is PSObject shell ? shell.BaseObject : value;
    }
}
