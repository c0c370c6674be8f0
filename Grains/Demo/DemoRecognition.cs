namespace Beacon.Grains.Demo;

public sealed partial class DemoRegister
{
    private static readonly string[] CadrePositions =
        ["区委常委", "副区长", "区人大常委会副主任", "区政协副主席", "区委组织部部长", "区纪委副书记", "镇（街道）党（工）委书记", "区直部门党组书记"];

    /// <summary>
    /// The county's <see cref="DemoRecognition"/>: this year's classes (dated through the year so far, so all are
    /// this year's), honours of the last two years for enterprises with an organisation in slot order, contact points
    /// with every n-th base enterprise, and unions and Youth League organisations in the largest base enterprises.
    /// </summary>
    private void Recognise(DemoCounty c, DateOnly today)
    {
        if (c.Recognition is not { } r) return;
        var county = $"{c.Name}委";
        for (var k = 0; k < r.TrainingClasses; k++)
        {
            var attendances = r.TrainingAttendances / r.TrainingClasses + (k < r.TrainingAttendances % r.TrainingClasses ? 1 : 0);
            Trainings.Add(new TrainingProfile($"PX{k + 1:D3}", $"非公企业党支部书记培训班（第{Numeral(k + 1)}期）", TrainingKind.Secretaries,
                new DateOnly(today.Year, 1, 1).AddDays((today.DayOfYear - 1) * (k + 1) / (r.TrainingClasses + 1)), Days: 2 + k % 2,
                Hours: 16 + 8 * (k % 2), attendances, Organiser: $"{county}组织部、{county}党校"));
        }

        var n = 0;
        void Honour(HonourKind kind, string name, string awardedBy, string? creditCode, string? organisationId, int year) =>
            Honours.Add(new HonourProfile($"RY{++n:D4}", name, kind, year, awardedBy, creditCode, organisationId));
        if (r.PioneerEnterprise is { } pioneer)
        {
            // The seeds' named enterprise is the first standalone one of its industry, renamed, with its branch.
            var at = Enterprises.FindIndex(e => e.Organisation.Mode == FormationMode.Standalone && e.Industry == "道路运输");
            if (at < 0) throw new InvalidOperationException($"{c.Code}: no standalone road transport enterprise to be {pioneer}.");
            var e = Enterprises[at] = Enterprises[at] with { Name = pioneer };
            var organisation = Organisations.FindIndex(o => o.OrganisationId == e.Organisation.OrganisationId);
            Organisations[organisation] = Organisations[organisation] with { Name = $"{pioneer}党支部" };
            Honour(HonourKind.PioneerOrganisation, $"{pioneer}党支部", $"{c.ProvinceName}非公有制企业党工委", e.CreditCode, e.Organisation.OrganisationId, today.Year - 1);
            if (r.PioneerIndividual is { } person)
                Honour(HonourKind.PioneerPost, $"{person}（{pioneer}经理）", $"{c.ProvinceName}非公有制企业党工委", e.CreditCode, null, today.Year - 1);
        }

        var covered = Enterprises.Where(e => e.InBase && e.Organisation.Mode != FormationMode.None).ToArray();
        var sites = Take(covered, r.DemonstrationSites, 0);
        for (var k = 0; k < sites.Length; k++)
            Honour(HonourKind.DemonstrationSite, $"{sites[k].Name}创先争优活动示范点", $"中共{county}", sites[k].CreditCode, null, today.Year - k % 2);
        var exemplars = Take(covered, r.Exemplars, 1);
        for (var k = 0; k < exemplars.Length; k++)
        {
            var organisation = exemplars[k].Organisation.OrganisationId;
            var name = Organisations.FirstOrDefault(o => o.OrganisationId == organisation)?.Name ?? exemplars[k].Name;
            Honour(HonourKind.Exemplar, name, $"中共{county}", exemplars[k].CreditCode, organisation, today.Year - k % 2);
        }
        var harmonious = Take(covered, r.HarmoniousEnterprises, 2);
        for (var k = 0; k < harmonious.Length; k++)
            Honour(HonourKind.HarmoniousEnterprise, harmonious[k].Name, $"{c.Name}人民政府", harmonious[k].CreditCode, null, today.Year - k % 2);

        var inBase = Enterprises.Where(e => e.InBase).ToArray();
        for (var k = 0; k < r.ContactPoints; k++)
        {
            var e = inBase[(k * 7 + 3) * inBase.Length / (r.ContactPoints * 7 + 3)];
            ContactPoints.Add(new ContactPointProfile($"LX{k + 1:D4}", $"{Surname(k * 3 + 2)}{GivenName(k * 13 + 4)}",
                CadrePositions[k % CadrePositions.Length], today.AddDays(-(30 + k * 997 % 1000)), e.CreditCode));
        }

        // Unions and Youth League organisations where the most people work.
        var largest = Enterprises.Select((e, i) => (e, i)).Where(x => x.e.InBase).OrderByDescending(x => x.e.Employees).ThenBy(x => x.i).ToArray();
        for (var k = 0; k < Math.Min(r.Unions, largest.Length); k++)
            Enterprises[largest[k].i] = largest[k].e with { Union = true, YouthLeague = k < r.YouthLeague };
    }

    /// <summary>Every (length / count)-th of the enterprises from <paramref name="offset"/>, so that honours of different kinds fall apart.</summary>
    private static EnterpriseProfile[] Take(EnterpriseProfile[] from, int count, int offset) =>
        count <= 0 || from.Length == 0 ? [] : [.. Enumerable.Range(0, count).Select(k => from[(k * from.Length / count + offset) % from.Length])];
}
