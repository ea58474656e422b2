using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Slipway.Storage.S3;

/// <summary>S3's XML: documents in the 2006-03-01 namespace, its date formats, and lenient reading of request bodies.</summary>
internal static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        CheckCharacters = false, // keys may hold control characters; encoding-type=url is the clean way to receive them
        OmitXmlDeclaration = true, // written by hand: S3 spells it encoding="UTF-8", XmlWriter would say utf-8
        Async = true,
    };

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string HttpDate(DateTimeOffset value) => value.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    public static string Quote(string etag) => $"\"{etag}\"";

    public static byte[] Render(XElement root)
    {
        using var buffer = new MemoryStream();
        buffer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"u8);
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            root.Save(writer);
        }

        return buffer.ToArray();
    }

    public static async Task WriteAsync(HttpContext context, XElement root, int status = 200)
    {
        var bytes = Render(root);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>Reads an XML request body (at most 1 MiB, as S3 limits them); anything unparsable is MalformedXML.</summary>
    public static async Task<XElement> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > 1024 * 1024)
            {
                throw S3Exception.MalformedXml();
            }
        }

        try
        {
            buffer.Position = 0;
            using var reader = XmlReader.Create(buffer, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XElement.Load(reader);
        }
        catch (XmlException)
        {
            throw S3Exception.MalformedXml();
        }
    }

    /// <summary>Child elements by local name: clients send these documents with or without the S3 namespace.</summary>
    public static IEnumerable<XElement> Children(this XElement element, string localName) =>
        element.Elements().Where(e => e.Name.LocalName == localName);

    public static string? ChildValue(this XElement element, string localName) => element.Children(localName).FirstOrDefault()?.Value;
}
