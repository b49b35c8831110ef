namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// What the compiler needs for init-only setters, which netstandard2.0 does not define: the models' properties are
    /// set only while the object is built (object initializers) and never after.
    /// </summary>
    internal static class IsExternalInit
    {
    }
}
