# The Edc API. Built by docker-compose.yml together with PostgreSQL; see README.md.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# The image brings its own .NET 10 SDK; global.json pins the SDK of developer machines and CI.
RUN rm -f global.json && dotnet publish src/Edc.Api/Edc.Api.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Edc.Api.dll"]
