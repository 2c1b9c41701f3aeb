module example.com/notrequired

go 1.26
